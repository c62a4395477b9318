-- CreateTable
CREATE TABLE "brand_image_variant" (
    "id" UUID NOT NULL,
    "upload_id" UUID NOT NULL,
    "brand_code" TEXT NOT NULL,
    "variant" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "content_type" TEXT NOT NULL,
    "source_type" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "bytes" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "brand_image_variant_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "brand_image_variant_brand_code_created_at_idx" ON "brand_image_variant"("brand_code", "created_at");

-- CreateIndex
CREATE INDEX "brand_image_variant_upload_id_idx" ON "brand_image_variant"("upload_id");
