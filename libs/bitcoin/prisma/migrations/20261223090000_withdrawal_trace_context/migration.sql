-- The trace context and correlation id of the request that queued a withdrawal, for the payout that sends it later.
ALTER TABLE "withdrawals" ADD COLUMN     "correlation_id" TEXT,
ADD COLUMN     "traceparent" TEXT,
ADD COLUMN     "tracestate" TEXT;
