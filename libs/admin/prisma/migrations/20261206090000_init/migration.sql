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
