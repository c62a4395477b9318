/** What a redemption pays, in whole KRW and satoshis. */
export interface Quote {
  faceValueKrw: bigint;
  feeKrw: bigint;
  priceKrwPerBtc: bigint;
  amountSats: bigint;
}

const SATS_PER_BTC = 100_000_000n;
const BPS = 10_000n;

/**
 * fee = floor(face × feeBps / 10 000); amount = floor((face − fee) × 10^8 / price).
 * Both round down: the rounding never favours the user beyond what the card is worth.
 */
export function quote(faceValueKrw: bigint, feeBps: number, priceKrwPerBtc: bigint): Quote {
  if (faceValueKrw <= 0n) throw new RangeError(`face value must be positive, got ${faceValueKrw}`);
  if (!Number.isInteger(feeBps) || feeBps < 0 || feeBps > 10_000) throw new RangeError(`fee must be 0..10000 bps, got ${feeBps}`);
  if (priceKrwPerBtc <= 0n) throw new RangeError(`price must be positive, got ${priceKrwPerBtc}`);
  const feeKrw = (faceValueKrw * BigInt(feeBps)) / BPS;
  const amountSats = ((faceValueKrw - feeKrw) * SATS_PER_BTC) / priceKrwPerBtc;
  return { faceValueKrw, feeKrw, priceKrwPerBtc, amountSats };
}
