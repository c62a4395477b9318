import type { BitroEnv } from '@bitro/config';

/** Attempts the HTTP issuer and price feed adapters make per call (one plus two retries), and their backoff. */
const ATTEMPTS_PER_CALL = 3;
const BACKOFF_ALLOWANCE_MS = 1_000;

/**
 * How long one processing of a redemption may take at most: two issuer calls (verify, redeem) and two
 * price look-ups, each with its retries, plus a margin for the database. A pending redemption is left to
 * whoever processes it for that long before the retry job may take it, and an Idempotency-Key claimed
 * that long ago without an answer is taken over. Too short would only mean duplicate work (every step
 * is idempotent), never a double credit.
 */
export const processingLeaseMs = (env: Pick<BitroEnv, 'ISSUER_TIMEOUT_MS' | 'PRICE_FEED_TIMEOUT_MS'>): number =>
  2 * (ATTEMPTS_PER_CALL * env.ISSUER_TIMEOUT_MS + BACKOFF_ALLOWANCE_MS) + 2 * (ATTEMPTS_PER_CALL * env.PRICE_FEED_TIMEOUT_MS + BACKOFF_ALLOWANCE_MS) + 10_000;
