-- CreateEnum
CREATE TYPE "AnchorStatus" AS ENUM ('signed', 'broadcast', 'confirmed');

-- CreateTable
CREATE TABLE "anchors" (
    "id" UUID NOT NULL,
    "reference" TEXT NOT NULL,
    "data_hex" TEXT NOT NULL,
    "raw_hex" TEXT NOT NULL,
    "txid" TEXT NOT NULL,
    "fee_sats" BIGINT NOT NULL,
    "status" "AnchorStatus" NOT NULL,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "broadcast_at" TIMESTAMPTZ(3),
    "confirmed_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "anchors_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "anchors_reference_key" ON "anchors"("reference");

-- CreateIndex
CREATE UNIQUE INDEX "anchors_txid_key" ON "anchors"("txid");
