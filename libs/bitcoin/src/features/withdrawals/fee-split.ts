import type { AddressValidator } from '../addresses/address-validator';
import { outputVbytes, scriptPubKeyOf } from './tx-output';

/**
 * Splits a payout's fee between its withdrawals by their part of the transaction's vsize: each pays for its own output
 * (`outputVbytes[i]`) plus an equal part of the rest (inputs, change, overhead). Integer satoshis that sum exactly
 * to `feeSats`: the satoshis lost to rounding down go one each to the largest remainders (ties: earlier withdrawal).
 */
export function splitFee(feeSats: bigint, vsize: number, outputVbytes: readonly number[]): bigint[] {
  const count = BigInt(outputVbytes.length);
  if (count === 0n) throw new RangeError('a payout pays at least one withdrawal');
  const own = outputVbytes.reduce((sum, bytes) => sum + bytes, 0);
  if (own > vsize) throw new RangeError(`outputs of ${own} vB do not fit in a ${vsize} vB transaction`);
  // share_i = fee × (bytes_i + rest / n) / vsize, scaled by n to stay in integers.
  const rest = BigInt(vsize - own);
  const total = BigInt(vsize) * count;
  const exact = outputVbytes.map((bytes) => feeSats * (BigInt(bytes) * count + rest));
  const shares = exact.map((numerator) => numerator / total);
  let left = feeSats - shares.reduce((sum, share) => sum + share, 0n);
  const byRemainder = exact
    .map((numerator, index) => ({ index, remainder: numerator % total }))
    .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of byRemainder) {
    if (left === 0n) break;
    shares[index] += 1n;
    left -= 1n;
  }
  return shares;
}

/** Each withdrawal's share of a payout's fee; `withdrawals` in the order of their outputs. */
export function withdrawalFeeShares(
  validator: AddressValidator,
  payout: { feeSats: bigint; vsize: number },
  withdrawals: readonly { address: string }[],
): bigint[] {
  return splitFee(
    payout.feeSats,
    payout.vsize,
    withdrawals.map((w) => outputVbytes(scriptPubKeyOf(validator, w.address))),
  );
}
