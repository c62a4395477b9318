-- CreateEnum
CREATE TYPE "AccountKind" AS ENUM ('user_available', 'user_held', 'giftcard_liability', 'fees', 'hot_wallet');

-- CreateEnum
CREATE TYPE "JournalKind" AS ENUM ('credit', 'debit', 'hold', 'release', 'settle');

-- CreateTable
CREATE TABLE "accounts" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "kind" "AccountKind" NOT NULL,
    "user_id" UUID,
    "allow_negative" BOOLEAN NOT NULL DEFAULT false,
    "balance" BIGINT NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "journals" (
    "id" UUID NOT NULL,
    "reference" TEXT NOT NULL,
    "kind" "JournalKind" NOT NULL,
    "user_id" UUID NOT NULL,
    "amount_sats" BIGINT NOT NULL,
    "description" TEXT NOT NULL,
    "hold_reference" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "journals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "postings" (
    "id" BIGSERIAL NOT NULL,
    "journal_id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "amount_sats" BIGINT NOT NULL,

    CONSTRAINT "postings_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "accounts_code_key" ON "accounts"("code");

-- CreateIndex
CREATE UNIQUE INDEX "accounts_user_id_kind_key" ON "accounts"("user_id", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "journals_reference_key" ON "journals"("reference");

-- CreateIndex
CREATE UNIQUE INDEX "journals_hold_reference_key" ON "journals"("hold_reference");

-- CreateIndex
CREATE INDEX "journals_user_id_created_at_id_idx" ON "journals"("user_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "postings_journal_id_idx" ON "postings"("journal_id");

-- CreateIndex
CREATE INDEX "postings_account_id_idx" ON "postings"("account_id");

-- AddForeignKey
ALTER TABLE "postings" ADD CONSTRAINT "postings_journal_id_fkey" FOREIGN KEY ("journal_id") REFERENCES "journals"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "postings" ADD CONSTRAINT "postings_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- User accounts never go negative (the ledger's conditional UPDATE already ensures it; this is the
-- backstop). A trigger rather than a CHECK constraint: the schema engine stand-in cannot introspect
-- CHECK constraints (migrate dev/diff fail on them).
CREATE FUNCTION "accounts_balance_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT NEW.allow_negative AND NEW.balance < 0 THEN
        RAISE EXCEPTION 'account % would go negative (%)', NEW.code, NEW.balance USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER "accounts_balance_guard" BEFORE INSERT OR UPDATE ON "accounts"
    FOR EACH ROW EXECUTE FUNCTION "accounts_balance_guard"();

-- The house accounts; user accounts are created on their first movement.
INSERT INTO "accounts" ("id", "code", "kind", "allow_negative") VALUES
    (gen_random_uuid(), 'house:giftcard_liability', 'giftcard_liability', true),
    (gen_random_uuid(), 'house:fees', 'fees', true),
    (gen_random_uuid(), 'house:hot_wallet', 'hot_wallet', true);
