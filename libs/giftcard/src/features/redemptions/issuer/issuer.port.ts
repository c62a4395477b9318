/** The issuer's verdict on a PIN it was asked to check. */
export type IssuerVerification = { status: 'valid'; faceValueKrw: bigint } | { status: 'invalid' } | { status: 'already-used' };

/** The issuer's verdict on a PIN it was asked to use up. */
export type IssuerRedemption = { status: 'redeemed'; faceValueKrw: bigint } | { status: 'invalid' } | { status: 'already-used' };

/** How the gift-card domain talks to the card issuer. See PROTOCOL.md for the wire format of the HTTP adapter. */
export interface IssuerPort {
  /** Checks a PIN without using it. Safe to retry. */
  verify(input: { brand: string; pin: string }): Promise<IssuerVerification>;
  /**
   * Uses the PIN up, idempotent by `reference` (the redemption id): a retry with the same reference answers the
   * first result; the same reference with another PIN is refused ({@link IssuerRequestRejectedError}, 409).
   */
  redeem(input: { brand: string; pin: string; reference: string }): Promise<IssuerRedemption>;
}

export const ISSUER = Symbol.for('bitro.giftcard.Issuer');

/**
 * No verdict could be had: the issuer is down, timed out, failed (5xx) or answered something malformed.
 * The PIN may or may not have been used: keep the redemption pending and retry later (redeem with the same reference).
 */
export class IssuerUnavailableError extends Error {
  override name = 'IssuerUnavailableError';
}

/**
 * The issuer refused the request itself (4xx: wrong API key, a request it cannot read, a reference reused for
 * another PIN). Still no verdict on the PIN, so it is an {@link IssuerUnavailableError}, but repeating the request
 * will not help until the cause (configuration or a bug) is fixed.
 */
export class IssuerRequestRejectedError extends IssuerUnavailableError {
  override name = 'IssuerRequestRejectedError';

  constructor(
    message: string,
    readonly httpStatus: number,
  ) {
    super(message);
  }
}
