import { z } from 'zod';

/** Field types shared by the env schemas of both processes. */
export const port = z.coerce.number().int().min(0).max(65535);
export const positiveInt = z.coerce.number().int().positive();

/** Redis and the event transport (outbox relay, retries), the same variables in bitro-api and bitcoin-gateway. */
export const messagingEnvFields = {
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// URL' }),
  /** Both processes must use the same prefix: their queues meet under it. */
  REDIS_KEY_PREFIX: z.string().regex(/^[\w:.-]*$/, 'letters, digits and : . _ - only').default('bitro:'),
  /** The relay's safety-net poll; a commit to the outbox wakes it at once (LISTEN/NOTIFY). */
  OUTBOX_RELAY_INTERVAL_MS: positiveInt.default(1_000),
  EVENT_MAX_ATTEMPTS: positiveInt.default(8),
  EVENT_BACKOFF_MS: positiveInt.default(1_000),
  /** A delivery still incomplete this long after it was last enqueued is enqueued again (its job may be lost). */
  EVENT_REDELIVERY_AFTER_MS: positiveInt.min(1_000).default(20_000),
  /** A consumer seen for the first time receives the events relayed this long before it (a rolling deploy). */
  EVENT_NEW_CONSUMER_BACKFILL_MS: z.coerce.number().int().min(0).default(3_600_000),
  /** Completed publications, handled inbox rows and relayed outbox rows are deleted after this long. */
  EVENT_RETENTION_HOURS: positiveInt.default(168),
};

/** How often (ms) the process gives what its C allocator holds free back to the system (ADR 0039); 0 never. */
export const memoryTrimIntervalMs = z.coerce.number().int().min(0).default(10_000);

/** The internal port of the process's Prometheus metrics (never the public one); port 0 serves none. */
export function metricsEnvFields(defaultPort: number) {
  return {
    METRICS_HOST: z.string().min(1).default('127.0.0.1'),
    METRICS_PORT: port.default(defaultPort),
  };
}
