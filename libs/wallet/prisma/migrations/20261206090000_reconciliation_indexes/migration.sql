-- CreateIndex
CREATE INDEX "journals_kind_created_at_idx" ON "journals"("kind", "created_at");

-- CreateIndex
CREATE INDEX "deposits_updated_at_idx" ON "deposits"("updated_at");

-- CreateIndex
CREATE INDEX "withdrawals_updated_at_idx" ON "withdrawals"("updated_at");
