-- CreateIndex
CREATE INDEX "redemptions_state_updated_at_idx" ON "redemptions"("state", "updated_at");

-- CreateIndex
CREATE INDEX "idempotency_keys_created_at_idx" ON "idempotency_keys"("created_at");
