-- One row per (event, consumer) delivery: written by the relay with the claim of the outbox row, completed in the
-- consumer's inbox transaction (or, for a message to another process, by its acknowledgement). PostgreSQL alone
-- tells what is still owed; the sweeper re-delivers what stays incomplete.
CREATE TABLE "publications" (
    "event_id" UUID NOT NULL,
    "consumer" TEXT NOT NULL,
    "event_name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveries" INTEGER NOT NULL DEFAULT 1,
    "completed_at" TIMESTAMPTZ(3),
    "failed_at" TIMESTAMPTZ(3),

    CONSTRAINT "publications_pkey" PRIMARY KEY ("event_id","consumer")
);

-- The sweeper's scan: incomplete, not dead-lettered, by last delivery.
CREATE INDEX "publications_pending_idx" ON "publications"("delivered_at") WHERE "completed_at" IS NULL AND "failed_at" IS NULL;
-- Retention and the figures per consumer.
CREATE INDEX "publications_completed_at_idx" ON "publications"("completed_at");
CREATE INDEX "publications_consumer_incomplete_idx" ON "publications"("consumer", "created_at") WHERE "completed_at" IS NULL;

-- Which consumers exist, across every replica and version: the relay writes publications for all of them, and a consumer
-- first seen gets the events relayed shortly before it existed.
CREATE TABLE "subscriptions" (
    "consumer" TEXT NOT NULL,
    "event_name" TEXT NOT NULL,
    "registered_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "subscriptions_pkey" PRIMARY KEY ("consumer","event_name")
);

-- Retention of handled inbox rows.
CREATE INDEX "inbox_handled_at_idx" ON "inbox"("handled_at");

-- A committed outbox row wakes the relays at once (LISTEN messaging_outbox); polling stays as the safety net.
-- NOTIFY is sent at commit and folded to one per transaction.
CREATE FUNCTION "notify_outbox"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('messaging_outbox', '');
  RETURN NULL;
END
$$;
CREATE TRIGGER "outbox_notify" AFTER INSERT ON "outbox" FOR EACH STATEMENT EXECUTE FUNCTION "notify_outbox"();
