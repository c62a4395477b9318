import { ProblemException } from '@bitro/http';
import { idempotencyKeyReused } from './idempotency-key';
import type { IdempotencyRecord, IdempotencyScope, IdempotencyStore } from './idempotency-store';
import { isReplayable, problemAnswer, type StoredAnswer } from './stored-answer';

export interface IdempotentRequest {
  scope: IdempotencyScope;
  /** `requestFingerprint` of the request. */
  fingerprint: string;
  /**
   * Fingerprints the same request had under a domain's earlier scheme, accepted as the same request: a domain that
   * changes how it fingerprints keeps the keys it stored before (for as long as it keeps keys).
   */
  formerFingerprints?: readonly string[];
}

/**
 * What `run` answers when it has stored its answer itself, in the transaction that made the answer true (the store's
 * `completeIn`, a domain method like `attach`) and that has committed: nothing more is written for the key. Only for a
 * replayable answer (`isReplayable`).
 */
export class AnsweredInTransaction {
  constructor(readonly answer: StoredAnswer) {}
}

export interface IdempotentWork {
  /** How long a claim without an answer is left to its request before another request may take the key over. */
  leaseMs: number;
  /** Runs the request; a `ProblemException` it throws is an answer too. */
  run(): Promise<StoredAnswer | AnsweredInTransaction>;
  /** The answer, rebuilt from what a request that died had created under the key (its `resourceId`). */
  recover?(resourceId: string): Promise<StoredAnswer>;
}

export interface IdempotentResult {
  answer: StoredAnswer;
  /** True when the answer is the one stored for an earlier request. */
  replayed: boolean;
}

/** How often a request looks again for a key that another request freed between its claim and its look. */
const CLAIM_ATTEMPTS = 3;

/** 409: another request under the key is still running. */
export const idempotencyKeyInUse = (): ProblemException =>
  new ProblemException(409, 'idempotency-key-in-use', 'A request with this Idempotency-Key is still being processed; retry in a moment.', {
    headers: { 'retry-after': '1' },
  });

/**
 * Runs a request under its Idempotency-Key, by the rules of the README: the first request claims the key and its
 * answer is stored if `isReplayable`; a retry of the same request gets that answer again (`replayed`), another request
 * under the key 422, and any request while the first still runs 409. A claim left unanswered longer than `leaseMs`
 * (its process died) is taken over: answered from what it had created, or run again.
 */
export async function runIdempotently(store: IdempotencyStore, request: IdempotentRequest, work: IdempotentWork): Promise<IdempotentResult> {
  const claim = await claimKey(store, request, work.leaseMs);
  if ('replay' in claim) return { answer: claim.replay, replayed: true };
  let answer: StoredAnswer;
  try {
    const outcome = claim.resourceId !== null && work.recover ? await work.recover(claim.resourceId) : await work.run();
    if (outcome instanceof AnsweredInTransaction) return { answer: outcome.answer, replayed: false };
    answer = outcome;
  } catch (error) {
    if (!(error instanceof ProblemException) || !isReplayable(error.status)) {
      await store.release(request.scope);
      throw error;
    }
    answer = problemAnswer(error);
  }
  if (isReplayable(answer.status)) await store.complete(request.scope, answer);
  else await store.release(request.scope);
  return { answer, replayed: false };
}

/** The key claimed for this request (with what a dead request had created under it), or the stored answer to give again. */
async function claimKey(store: IdempotencyStore, request: IdempotentRequest, leaseMs: number): Promise<{ replay: StoredAnswer } | { resourceId: string | null }> {
  for (let attempt = 1; ; attempt++) {
    if (await store.claim(request.scope, request.fingerprint)) return { resourceId: null };
    const existing = await store.find(request.scope);
    if (existing === null) {
      // Its request freed the key after our claim failed: claim it again.
      if (attempt < CLAIM_ATTEMPTS) continue;
      throw idempotencyKeyInUse();
    }
    if (!sameRequest(existing, request)) throw idempotencyKeyReused();
    if (existing.answer !== null) return { replay: existing.answer };
    const abandoned = Date.now() - existing.claimedAt.getTime() > leaseMs;
    if (abandoned && (await store.takeOver(request.scope, existing.claimedAt))) return { resourceId: existing.resourceId };
    throw idempotencyKeyInUse();
  }
}

const sameRequest = (existing: IdempotencyRecord, request: IdempotentRequest): boolean =>
  existing.fingerprint === request.fingerprint || (request.formerFingerprints ?? []).includes(existing.fingerprint);
