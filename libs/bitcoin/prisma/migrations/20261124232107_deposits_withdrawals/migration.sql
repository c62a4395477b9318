-- CreateEnum
CREATE TYPE "DepositStatus" AS ENUM ('detected', 'confirmed', 'reversed');

-- CreateEnum
CREATE TYPE "WithdrawalStatus" AS ENUM ('queued', 'signed', 'broadcast', 'confirmed', 'failed');

-- CreateEnum
CREATE TYPE "PayoutStatus" AS ENUM ('signed', 'broadcast', 'confirmed', 'replaced', 'failed');

-- CreateTable
CREATE TABLE "chain_cursors" (
    "name" TEXT NOT NULL,
    "block_hash" TEXT NOT NULL,
    "block_height" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "chain_cursors_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "deposits" (
    "id" UUID NOT NULL,
    "txid" TEXT NOT NULL,
    "vout" INTEGER NOT NULL,
    "address" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "amount_sats" BIGINT NOT NULL,
    "status" "DepositStatus" NOT NULL,
    "confirmations" INTEGER NOT NULL,
    "block_hash" TEXT,
    "block_height" INTEGER,
    "detected_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "confirmed_at" TIMESTAMPTZ(3),
    "reversed_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "deposits_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "withdrawals" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "address" TEXT NOT NULL,
    "amount_sats" BIGINT NOT NULL,
    "max_fee_sats" BIGINT NOT NULL,
    "status" "WithdrawalStatus" NOT NULL,
    "payout_id" UUID,
    "vout" INTEGER,
    "fee_sats" BIGINT,
    "failure_reason" TEXT,
    "failure_detail" TEXT,
    "requested_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "withdrawals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payouts" (
    "id" UUID NOT NULL,
    "txid" TEXT NOT NULL,
    "raw_hex" TEXT NOT NULL,
    "fee_sats" BIGINT NOT NULL,
    "vsize" INTEGER NOT NULL,
    "status" "PayoutStatus" NOT NULL,
    "replaces_id" UUID,
    "broadcast_attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "block_hash" TEXT,
    "block_height" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "broadcast_at" TIMESTAMPTZ(3),
    "confirmed_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "payouts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "deposits_status_updated_at_idx" ON "deposits"("status", "updated_at");

-- CreateIndex
CREATE INDEX "deposits_user_id_detected_at_idx" ON "deposits"("user_id", "detected_at");

-- CreateIndex
CREATE UNIQUE INDEX "deposits_txid_vout_key" ON "deposits"("txid", "vout");

-- CreateIndex
CREATE INDEX "withdrawals_status_requested_at_idx" ON "withdrawals"("status", "requested_at");

-- CreateIndex
CREATE INDEX "withdrawals_payout_id_idx" ON "withdrawals"("payout_id");

-- CreateIndex
CREATE UNIQUE INDEX "payouts_txid_key" ON "payouts"("txid");

-- CreateIndex
CREATE INDEX "payouts_status_created_at_idx" ON "payouts"("status", "created_at");

-- AddForeignKey
ALTER TABLE "withdrawals" ADD CONSTRAINT "withdrawals_payout_id_fkey" FOREIGN KEY ("payout_id") REFERENCES "payouts"("id") ON DELETE SET NULL ON UPDATE CASCADE;
