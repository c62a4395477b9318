export { createPgPool, createRedis } from './connections';
export { probePostgres, probeRedis, type ProbeResult } from './probes';
export { FixedWindowCounter, type RateLimitState } from './rate-limiter';
export { DbModule, PG_POOL, REDIS } from './db.module';
export { closeQueueConnection, createQueueConnection, settleWhileConnected } from './bullmq-connections';
export { Poller, type PollerOptions, SAFETY_NET_POLL_MS } from './poller';
export { cursorQuerySchema, decodeCursor, encodeCursor, olderThan, pageOf, pageQueryShape, type KeysetPosition } from './keyset-cursor';
export { instantSchema, isStorableInstant } from './pg-timestamp';
export { deleteInBatches, type BatchedDeleteOptions } from './batched-delete';
