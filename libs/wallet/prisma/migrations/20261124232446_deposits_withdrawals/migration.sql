-- CreateEnum
CREATE TYPE "DepositStatus" AS ENUM ('detected', 'confirmed', 'reversed');

-- CreateEnum
CREATE TYPE "WithdrawalStatus" AS ENUM ('requested', 'broadcast', 'confirmed', 'failed');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "JournalKind" ADD VALUE 'deposit';
ALTER TYPE "JournalKind" ADD VALUE 'deposit_reversal';

-- DropIndex
DROP INDEX "journals_hold_reference_key";

-- CreateTable
CREATE TABLE "deposits" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "txid" TEXT NOT NULL,
    "vout" INTEGER NOT NULL,
    "address" TEXT NOT NULL,
    "amount_sats" BIGINT NOT NULL,
    "status" "DepositStatus" NOT NULL,
    "confirmations" INTEGER NOT NULL DEFAULT 0,
    "block_hash" TEXT,
    "block_height" INTEGER,
    "detected_at" TIMESTAMPTZ(3) NOT NULL,
    "confirmed_at" TIMESTAMPTZ(3),
    "reversed_at" TIMESTAMPTZ(3),
    "credits" INTEGER NOT NULL DEFAULT 0,
    "shortfall_sats" BIGINT NOT NULL DEFAULT 0,
    "last_event_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deposits_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "withdrawals" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "address" TEXT NOT NULL,
    "amount_sats" BIGINT NOT NULL,
    "max_fee_sats" BIGINT NOT NULL,
    "fee_sats" BIGINT,
    "status" "WithdrawalStatus" NOT NULL DEFAULT 'requested',
    "txid" TEXT,
    "vout" INTEGER,
    "block_hash" TEXT,
    "block_height" INTEGER,
    "failure_reason" TEXT,
    "idempotency_key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "broadcast_at" TIMESTAMPTZ(3),
    "confirmed_at" TIMESTAMPTZ(3),
    "failed_at" TIMESTAMPTZ(3),

    CONSTRAINT "withdrawals_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "deposits_user_id_detected_at_id_idx" ON "deposits"("user_id", "detected_at" DESC, "id" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "deposits_txid_vout_key" ON "deposits"("txid", "vout");

-- CreateIndex
CREATE INDEX "withdrawals_user_id_created_at_id_idx" ON "withdrawals"("user_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "withdrawals_user_id_idempotency_key_key" ON "withdrawals"("user_id", "idempotency_key");

-- CreateIndex
CREATE INDEX "journals_hold_reference_idx" ON "journals"("hold_reference");
