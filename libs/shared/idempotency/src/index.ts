export { IDEMPOTENCY_KEY, idempotencyKeyHeaders, idempotencyKeyReused, parseIdempotencyKey } from './idempotency-key';
export type { IdempotencyRecord, IdempotencyScope, IdempotencyStore } from './idempotency-store';
export { canonicalJson, type FingerprintedRequest, requestFingerprint } from './request-fingerprint';
export { AnsweredInTransaction, idempotencyKeyInUse, type IdempotentRequest, type IdempotentResult, type IdempotentWork, runIdempotently } from './run-idempotently';
export { IDEMPOTENT_REPLAYED, type ReplyHeaders, sendAnswer } from './send-answer';
export { isReplayable, problemAnswer, type StoredAnswer, type StoredProblem, storedProblemException } from './stored-answer';
