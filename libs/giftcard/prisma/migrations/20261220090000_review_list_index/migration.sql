-- GET /v1/admin/redemptions/flagged (ADR 0030): the flagged redemptions newest first, read in order from the index
-- instead of found through (state, next_attempt_at) and sorted.
-- CreateIndex
CREATE INDEX "redemptions_state_created_at_id_idx" ON "redemptions"("state", "created_at" DESC, "id" DESC);
