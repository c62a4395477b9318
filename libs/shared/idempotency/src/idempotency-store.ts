import type { StoredAnswer } from './stored-answer';

/** One key: the `owner` it belongs to (keys are per user, so two users may pick the same one) and the header's value. */
export interface IdempotencyScope {
  owner: string;
  key: string;
}

/** A key as stored. */
export interface IdempotencyRecord {
  /** The fingerprint of the request that claimed it. */
  fingerprint: string;
  /** Its answer, once there is one to give again; null while the request runs (or after it died). */
  answer: StoredAnswer | null;
  /** When the request now running under it claimed it. */
  claimedAt: Date;
  /** What that request created under the key (see `attach` in the README), if it got that far. */
  resourceId: string | null;
}

/**
 * The keys of a domain, over a table of its own (see the README for the columns). Every method is one atomic
 * statement: the rules in `runIdempotently` rely on that when requests under one key race.
 */
export interface IdempotencyStore {
  /** Inserts the key, claimed now and unanswered; false when it exists already (INSERT ... ON CONFLICT DO NOTHING). */
  claim(scope: IdempotencyScope, fingerprint: string): Promise<boolean>;
  find(scope: IdempotencyScope): Promise<IdempotencyRecord | null>;
  /** Claims again, now, a key still unanswered and still claimed at `claimedAt`; false when another request did first. */
  takeOver(scope: IdempotencyScope, claimedAt: Date): Promise<boolean>;
  /** Stores the answer of the key. */
  complete(scope: IdempotencyScope, answer: StoredAnswer): Promise<void>;
  /** Deletes the key if it is unanswered and nothing was created under it, so that a retry runs the request again. */
  release(scope: IdempotencyScope): Promise<void>;
}
