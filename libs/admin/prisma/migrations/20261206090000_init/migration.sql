-- CreateTable
CREATE TABLE "reconciliation_report" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "ok" BOOLEAN NOT NULL,
    "trigger" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "report" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reconciliation_report_pkey" PRIMARY KEY ("id")
);

-- One row: the latest report.
ALTER TABLE "reconciliation_report" ADD CONSTRAINT "reconciliation_report_one_row" CHECK ("id" = 1);
