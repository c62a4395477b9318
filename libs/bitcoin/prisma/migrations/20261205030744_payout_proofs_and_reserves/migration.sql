-- CreateEnum
CREATE TYPE "ReserveCheckStatus" AS ENUM ('ok', 'mismatch', 'unsettled');

-- AlterTable
ALTER TABLE "payouts" ADD COLUMN     "broadcast_height" INTEGER,
ADD COLUMN     "deferred_at_tip" TEXT,
ADD COLUMN     "may_have_left" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "reserve_checks" (
    "id" UUID NOT NULL,
    "checked_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "tip_height" INTEGER NOT NULL,
    "wallet_sats" BIGINT NOT NULL,
    "expected_sats" BIGINT NOT NULL,
    "difference_sats" BIGINT NOT NULL,
    "status" "ReserveCheckStatus" NOT NULL,
    "figures" JSONB NOT NULL,
    "acknowledged_at" TIMESTAMPTZ(3),
    "acknowledged_by" TEXT,

    CONSTRAINT "reserve_checks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reserve_adjustments" (
    "id" UUID NOT NULL,
    "amount_sats" BIGINT NOT NULL,
    "kind" TEXT NOT NULL,
    "check_id" UUID,
    "admin_id" TEXT,
    "note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reserve_adjustments_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "reserve_checks_checked_at_idx" ON "reserve_checks"("checked_at");

-- Payouts that were already accepted, or whose broadcast went unanswered, may be held by a node.
UPDATE "payouts" SET "may_have_left" = true WHERE "status" <> 'signed' OR "broadcast_attempts" > 0;
