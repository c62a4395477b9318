import { z } from 'zod';

/** Field types shared by the env schemas of both processes. */
export const port = z.coerce.number().int().min(0).max(65535);
export const positiveInt = z.coerce.number().int().positive();

/** Redis and the event transport (outbox relay, retries), the same variables in bitro-api and bitcoin-gateway. */
export const messagingEnvFields = {
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// URL' }),
  /** Both processes must use the same prefix: their queues meet under it. */
  REDIS_KEY_PREFIX: z.string().regex(/^[\w:.-]*$/, 'letters, digits and : . _ - only').default('bitro:'),
  OUTBOX_RELAY_INTERVAL_MS: positiveInt.default(200),
  EVENT_MAX_ATTEMPTS: positiveInt.default(8),
  EVENT_BACKOFF_MS: positiveInt.default(1_000),
};
