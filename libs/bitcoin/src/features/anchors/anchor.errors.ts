export type AnchorRefusal =
  /** The reference is taken by an anchor of other data. */
  | 'reference-conflict'
  /** A withdrawal payout is signed but not yet accepted by the node: funding now could spend its inputs. Retry later. */
  | 'gateway-busy'
  /** The anchor is signed and stored, but the node gave no usable answer to its broadcast. Retry later (same bytes). */
  | 'broadcast-pending';

/** An anchor that was not published (now). */
export class AnchorRefusedError extends Error {
  override readonly name = 'AnchorRefusedError';

  constructor(
    readonly reason: AnchorRefusal,
    message: string,
  ) {
    super(message);
  }
}
