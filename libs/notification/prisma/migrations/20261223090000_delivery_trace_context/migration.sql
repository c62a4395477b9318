-- The trace context and correlation id of the event handling that queued a delivery, for its attempts later.
ALTER TABLE "deliveries" ADD COLUMN     "correlation_id" TEXT,
ADD COLUMN     "traceparent" TEXT,
ADD COLUMN     "tracestate" TEXT;
