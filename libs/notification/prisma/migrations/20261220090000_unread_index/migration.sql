-- The inbox's unread list and its unread count (ADR 0030): only the unread in-app rows, so the count reads the
-- user's unread notifications, not all of them.
-- CreateIndex
CREATE INDEX "notifications_unread_idx" ON "notifications"("user_id", "created_at" DESC, "id" DESC) WHERE (read_at IS NULL AND in_app);
