export type FeeBumpRefusal =
  | 'withdrawal-not-found'
  /** Not (yet) in a broadcast payout: queued, signed (a bump may be pending), failed. */
  | 'not-broadcast'
  | 'already-confirmed'
  | 'invalid-fee-rate'
  /** BIP125: the replacement must pay a higher rate, and more in total by at least its own size at 1 sat/vB. */
  | 'fee-rate-not-higher'
  /** A withdrawal's fee share would exceed the maximum its user accepted. */
  | 'exceeds-max-fee'
  /** Other transactions spend its outputs; replacing it would evict them. */
  | 'has-descendants'
  /** The change output cannot pay the extra fee and stay above the dust limit. */
  | 'insufficient-change';

/** A fee bump that was not made; nothing was signed or stored. */
export class FeeBumpRefusedError extends Error {
  override readonly name = 'FeeBumpRefusedError';

  constructor(
    readonly reason: FeeBumpRefusal,
    message: string,
  ) {
    super(message);
  }
}
