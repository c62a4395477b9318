-- The event envelope's trace context (W3C traceparent / tracestate) and correlation id (the originating request's id).
-- Nullable: untraced work and events appended before this migration have none.
ALTER TABLE "outbox" ADD COLUMN     "correlation_id" TEXT,
ADD COLUMN     "traceparent" TEXT,
ADD COLUMN     "tracestate" TEXT;
