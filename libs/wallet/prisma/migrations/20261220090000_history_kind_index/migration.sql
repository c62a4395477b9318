-- GET /v1/wallet/transactions?kind= (ADR 0030): the user's journals of one kind, newest first, instead of every user's
-- journals of that kind (journals_kind_created_at_idx) or all of the user's, filtered.
-- CreateIndex
CREATE INDEX "journals_user_id_kind_created_at_id_idx" ON "journals"("user_id", "kind", "created_at" DESC, "id" DESC);
