import type { BitroEnv } from '@bitro/config';

/**
 * How long one processing of a redemption may take at most (issuer verify and redeem, two price
 * look-ups, a margin). A pending redemption is left to whoever processes it for that long before the
 * retry job may take it, and an Idempotency-Key claimed that long ago without an answer is abandoned.
 */
export const processingLeaseMs = (env: Pick<BitroEnv, 'ISSUER_TIMEOUT_MS' | 'PRICE_FEED_TIMEOUT_MS'>): number =>
  2 * env.ISSUER_TIMEOUT_MS + 2 * env.PRICE_FEED_TIMEOUT_MS + 10_000;
