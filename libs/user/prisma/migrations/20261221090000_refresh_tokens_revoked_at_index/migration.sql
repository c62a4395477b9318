-- The session check's rebuild (ADR 0027) reads the sessions revoked in the last access-token lifetime.
-- CreateIndex
CREATE INDEX "refresh_tokens_revoked_at_idx" ON "refresh_tokens"("revoked_at");
