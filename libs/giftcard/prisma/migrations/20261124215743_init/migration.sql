-- CreateEnum
CREATE TYPE "RedemptionState" AS ENUM ('pending', 'verified', 'credited', 'rejected');

-- CreateTable
CREATE TABLE "brands" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "pin_pattern" TEXT NOT NULL,
    "pin_format" TEXT NOT NULL,
    "face_values_krw" BIGINT[],
    "fee_bps" INTEGER NOT NULL,
    "daily_limit_krw" BIGINT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "brands_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "redemptions" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "brand" TEXT NOT NULL,
    "state" "RedemptionState" NOT NULL DEFAULT 'pending',
    "pin_hash" TEXT,
    "pin_ciphertext" BYTEA,
    "face_value_krw" BIGINT,
    "fee_krw" BIGINT,
    "price_krw_per_btc" BIGINT,
    "amount_sats" BIGINT,
    "quote_expires_at" TIMESTAMPTZ(3),
    "rejection_reason" TEXT,
    "limit_day" DATE NOT NULL DEFAULT ((now() AT TIME ZONE 'Asia/Seoul'::text))::date,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "next_attempt_at" TIMESTAMPTZ(3),
    "wallet_journal_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "redemptions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "idempotency_keys" (
    "user_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "redemption_id" UUID,
    "response_status" INTEGER,
    "response_body" JSONB,
    "claimed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("user_id","key")
);

-- CreateIndex
CREATE UNIQUE INDEX "redemptions_pin_hash_key" ON "redemptions"("pin_hash");

-- CreateIndex
CREATE INDEX "redemptions_user_id_created_at_id_idx" ON "redemptions"("user_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "redemptions_user_id_brand_limit_day_idx" ON "redemptions"("user_id", "brand", "limit_day");

-- CreateIndex
CREATE INDEX "redemptions_state_next_attempt_at_idx" ON "redemptions"("state", "next_attempt_at");

-- AddForeignKey
ALTER TABLE "redemptions" ADD CONSTRAINT "redemptions_brand_fkey" FOREIGN KEY ("brand") REFERENCES "brands"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The catalogue. A PIN pattern applies to the PIN without its dashes and spaces.
INSERT INTO "brands" ("code", "name", "pin_pattern", "pin_format", "face_values_krw", "fee_bps", "daily_limit_krw") VALUES
    ('cultureland', '문화상품권', '^(?:\d{18}|\d{16})$', '4-4-4-6 or 4-4-4-4 digits', '{1000,5000,10000,30000,50000}', 800, 500000),
    ('happymoney', '해피머니', '^\d{16}$', '4-4-4-4 digits', '{1000,5000,10000,30000,50000}', 900, 500000),
    ('booknlife', '북앤라이프', '^\d{16}$', '4-4-4-4 digits', '{5000,10000,50000}', 900, 300000);
