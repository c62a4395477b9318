import { z } from 'zod';
import { addressType, bitcoinAddress, bitcoinNetwork, feeRateSatPerVb, positiveSatsString, satsString, txid } from './primitives';

/** A route of the gateway's internal HTTP API (called by bitro-api only, HMAC-signed, see request-signing.ts). */
export interface InternalRoute<B extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  readonly method: 'POST';
  readonly path: string;
  readonly body: B;
  readonly response: R;
  /**
   * Why the gateway may refuse a valid request: it answers 409 (422 for a fault of the input) with a problem whose
   * type ends in the reason, and GatewayClient throws {@link GatewayRefusedError} with it.
   */
  readonly refusals?: z.ZodEnum;
}

function defineInternalRoute<B extends z.ZodType, R extends z.ZodType>(path: string, body: B, response: R, refusals?: z.ZodEnum): InternalRoute<B, R> {
  return { method: 'POST', path, body, response, refusals };
}

export const INTERNAL_API_PREFIX = '/internal/v1';

/**
 * The user's current deposit address. Idempotent: the gateway returns the same unused address on every call
 * and only issues a new one once the previous one received funds, so a retried request is harmless.
 */
export const issueDepositAddressRoute = defineInternalRoute(
  `${INTERNAL_API_PREFIX}/deposit-addresses`,
  z.strictObject({ userId: z.uuid() }),
  z.object({
    userId: z.uuid(),
    address: bitcoinAddress,
    type: addressType,
    network: bitcoinNetwork,
  }),
);

export const addressInvalidReason = z.enum([
  'invalid-encoding',
  'mixed-case',
  'bad-checksum',
  'wrong-network',
  'invalid-length',
  'invalid-witness-version',
  'bech32-for-witness-v1-plus',
  'bech32m-for-witness-v0',
  'invalid-padding',
  'empty-data',
  'unsupported-base58-version',
  /** Valid, but its outputs can be spent by anyone today (witness v2–16, pay-to-anchor); the gateway refuses to pay it. */
  'anyone-can-spend',
]);
export type AddressInvalidReason = z.infer<typeof addressInvalidReason>;

/** Validates an address exactly as the gateway's Bitcoin Core would for its network. Read-only. */
export const validateAddressRoute = defineInternalRoute(
  `${INTERNAL_API_PREFIX}/addresses/validate`,
  z.strictObject({ address: z.string().max(200) }),
  z.discriminatedUnion('valid', [
    z.object({ valid: z.literal(true), address: z.string(), type: addressType, scriptPubKeyHex: z.string().regex(/^[0-9a-f]+$/) }),
    z.object({ valid: z.literal(false), reason: addressInvalidReason, message: z.string() }),
  ]),
);

/** The network fee a withdrawal would pay now. Read-only; the fee is re-estimated when the withdrawal is sent. */
export const estimateWithdrawalFeeRoute = defineInternalRoute(
  `${INTERNAL_API_PREFIX}/withdrawal-fee-estimates`,
  z.strictObject({
    address: bitcoinAddress,
    amountSats: positiveSatsString,
    confTarget: z.int().min(1).max(1008).optional(),
  }),
  z.object({
    feeSats: satsString,
    feeRateSatPerKvB: satsString,
    /** The confirmation target the estimate is for (Core may clamp the requested one). */
    confTarget: z.int().min(1),
  }),
);

export const feeBumpRefusalReason = z.enum([
  'withdrawal-not-found',
  /** Not (yet) in a broadcast payout: queued, signed (a bump may be pending), failed. */
  'not-broadcast',
  'already-confirmed',
  'invalid-fee-rate',
  /** BIP125: the replacement must pay a higher rate, and more in total by at least its own size at 1 sat/vB. */
  'fee-rate-not-higher',
  /** A withdrawal's share of the new fee would exceed the maxFeeSats its user accepted (and the wallet holds). */
  'exceeds-max-fee',
  /** Other transactions spend its outputs; replacing it would evict them. */
  'has-descendants',
  /** The change output cannot pay the extra fee and stay above the dust limit. */
  'insufficient-change',
]);
export type FeeBumpRefusalReason = z.infer<typeof feeBumpRefusalReason>;

/**
 * RBF: replaces the unconfirmed transaction of a broadcast withdrawal by one paying `feeRateSatPerVb`; every
 * withdrawal of that payout moves along. The replacement is persisted before it is broadcast, and its txid and fee
 * reach bitro-api as `gateway.withdrawal-broadcast.v1`. Refused (see {@link feeBumpRefusalReason}) with nothing stored.
 */
export const bumpWithdrawalFeeRoute = defineInternalRoute(
  `${INTERNAL_API_PREFIX}/withdrawals/fee-bumps`,
  z.strictObject({ withdrawalId: z.uuid(), feeRateSatPerVb }),
  z.object({
    withdrawalIds: z.array(z.uuid()).min(1),
    payoutId: z.uuid(),
    txid,
    replacedTxid: txid,
    feeSats: satsString,
    vsize: z.int().min(1),
    /** broadcast: the node took the replacement; pending: stored, the sender retries it; superseded: the node refused it, the old transaction stands. */
    status: z.enum(['broadcast', 'pending', 'superseded']),
  }),
  feeBumpRefusalReason,
);

export type InternalRouteBody<R extends InternalRoute> = z.input<R['body']>;
export type InternalRouteResponse<R extends InternalRoute> = z.output<R['response']>;

export const anchorRefusalReason = z.enum(['reference-conflict']);

/**
 * Publishes up to 80 bytes (an audit block's Merkle root) in an OP_RETURN output of a transaction the gateway's wallet
 * funds. Idempotent by `reference` (the caller's key, e.g. `audit-block:<height>`): a repeat answers the stored
 * transaction with its status now; the same reference with other data is refused (409 `reference-conflict`).
 * 503 `gateway-busy` / `broadcast-pending`: retry later.
 */
export const publishAnchorRoute = defineInternalRoute(
  `${INTERNAL_API_PREFIX}/anchors`,
  z.strictObject({
    reference: z.string().min(1).max(100),
    dataHex: z.string().regex(/^([0-9a-fA-F]{2}){1,80}$/, 'must be 1 to 80 bytes as hex'),
  }),
  z.object({
    reference: z.string(),
    txid,
    status: z.enum(['broadcast', 'confirmed']),
  }),
  anchorRefusalReason,
);

/** Satoshis that may be negative (a difference), as a decimal string. */
const signedSatsString = z.string().regex(/^-?(0|[1-9][0-9]*)$/, 'must be an integer number of satoshis');

export const reserveCheckView = z.object({
  id: z.uuid(),
  checkedAt: z.iso.datetime({ offset: true }),
  tipHeight: z.int().min(0),
  /** ok: within the tolerance; mismatch: beyond it (payouts pause until acknowledged); unsettled: a payout or anchor was in doubt. */
  status: z.enum(['ok', 'mismatch', 'unsettled']),
  /** What Core's wallet holds (trusted + untrusted_pending + immature), what the gateway's records say, and wallet − records. */
  walletSats: satsString,
  expectedSats: signedSatsString,
  differenceSats: signedSatsString,
  /** Per category: `wallet` (trusted, untrustedPending, immature, locked), `expected` (adjustments, deposits, pendingDeposits, paidOut, payoutFees, anchorFees), `differences` (trusted, pending, immature, total). */
  figures: z.record(z.string(), z.union([z.record(z.string(), z.string().nullable()), z.string()])),
  acknowledgedAt: z.iso.datetime({ offset: true }).nullable(),
  acknowledgedBy: z.string().nullable(),
});

/** The chain ↔ records check (ADR 15): the latest checks, newest first, and whether automatic payouts are paused. Read-only. */
export const reservesReportRoute = defineInternalRoute(
  `${INTERNAL_API_PREFIX}/reserves/report`,
  z.strictObject({ limit: z.int().min(1).max(500).default(20) }),
  z.object({
    toleranceSats: satsString,
    paused: z.object({ since: z.iso.datetime({ offset: true }), checkId: z.uuid(), differenceSats: signedSatsString }).nullable(),
    checks: z.array(reserveCheckView),
  }),
);

/**
 * An admin acknowledges the open reserves mismatches: automatic payouts resume, and the latest check's difference becomes
 * an adjustment of the records (`adjustedSats`). Nothing open: `acknowledgedChecks` 0 and nothing changes.
 */
export const acknowledgeReservesRoute = defineInternalRoute(
  `${INTERNAL_API_PREFIX}/reserves/acknowledgements`,
  z.strictObject({ adminId: z.uuid(), note: z.string().min(1).max(500) }),
  z.object({ adjustedSats: signedSatsString, acknowledgedChecks: z.int().min(0) }),
);
