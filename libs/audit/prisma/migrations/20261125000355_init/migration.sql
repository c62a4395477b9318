-- CreateTable
CREATE TABLE "chain_head" (
    "id" INTEGER NOT NULL,
    "last_seq" BIGINT NOT NULL,
    "last_hash" CHAR(64) NOT NULL,

    CONSTRAINT "chain_head_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "records" (
    "id" UUID NOT NULL,
    "seq" BIGINT NOT NULL,
    "type" TEXT NOT NULL,
    "source_key" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "prev_hash" CHAR(64) NOT NULL,
    "hash" CHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "records_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "blocks" (
    "height" BIGINT NOT NULL,
    "first_seq" BIGINT NOT NULL,
    "last_seq" BIGINT NOT NULL,
    "merkle_root" CHAR(64) NOT NULL,
    "sealed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "blocks_pkey" PRIMARY KEY ("height")
);

-- CreateTable
CREATE TABLE "anchors" (
    "id" UUID NOT NULL,
    "block_height" BIGINT NOT NULL,
    "adapter" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "anchored_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "anchors_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "records_seq_key" ON "records"("seq");

-- CreateIndex
CREATE UNIQUE INDEX "records_source_key_key" ON "records"("source_key");

-- CreateIndex
CREATE UNIQUE INDEX "blocks_first_seq_key" ON "blocks"("first_seq");

-- CreateIndex
CREATE UNIQUE INDEX "blocks_last_seq_key" ON "blocks"("last_seq");

-- CreateIndex
CREATE UNIQUE INDEX "anchors_block_height_adapter_key" ON "anchors"("block_height", "adapter");

-- AddForeignKey
ALTER TABLE "anchors" ADD CONSTRAINT "anchors_block_height_fkey" FOREIGN KEY ("block_height") REFERENCES "blocks"("height") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The trail is append-only: rows of records, blocks and anchors are never changed or removed.
CREATE FUNCTION "append_only_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit.% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER "records_append_only" BEFORE UPDATE OR DELETE ON "records" FOR EACH ROW EXECUTE FUNCTION "append_only_guard"();
CREATE TRIGGER "records_no_truncate" BEFORE TRUNCATE ON "records" FOR EACH STATEMENT EXECUTE FUNCTION "append_only_guard"();
CREATE TRIGGER "blocks_append_only" BEFORE UPDATE OR DELETE ON "blocks" FOR EACH ROW EXECUTE FUNCTION "append_only_guard"();
CREATE TRIGGER "blocks_no_truncate" BEFORE TRUNCATE ON "blocks" FOR EACH STATEMENT EXECUTE FUNCTION "append_only_guard"();
CREATE TRIGGER "anchors_append_only" BEFORE UPDATE OR DELETE ON "anchors" FOR EACH ROW EXECUTE FUNCTION "append_only_guard"();
CREATE TRIGGER "anchors_no_truncate" BEFORE TRUNCATE ON "anchors" FOR EACH STATEMENT EXECUTE FUNCTION "append_only_guard"();

-- The chain's head before its first record.
INSERT INTO "chain_head" ("id", "last_seq", "last_hash") VALUES (1, 0, repeat('0', 64));
