-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "WithdrawalStatus" ADD VALUE 'awaiting_approval';
ALTER TYPE "WithdrawalStatus" ADD VALUE 'rejected';

-- AlterTable
ALTER TABLE "withdrawals" ADD COLUMN     "review_reason" TEXT,
ADD COLUMN     "reviewed_at" TIMESTAMPTZ(3),
ADD COLUMN     "reviewed_by" UUID;

-- CreateIndex
CREATE INDEX "withdrawals_status_created_at_id_idx" ON "withdrawals"("status", "created_at", "id");
