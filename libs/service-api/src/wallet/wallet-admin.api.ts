import { z } from 'zod';
import { amountString } from '../events/event-contract';

/** A withdrawal's status as the API shows it (the wallet stores `awaiting_approval`). */
export const withdrawalStatusSchema = z
  .enum(['awaiting-approval', 'requested', 'broadcast', 'confirmed', 'failed', 'rejected'])
  .describe(
    'awaiting-approval (above the approval threshold: held, waiting for an admin) → requested → broadcast (txid known; a fee bump may replace it) → confirmed; ' +
      'or failed (see failureReason) / rejected by an admin (see rejectionReason): nothing was sent, the hold returned.',
  );
export type WithdrawalStatus = z.infer<typeof withdrawalStatusSchema>;

/** A withdrawal as an admin reviews it. */
export const adminWithdrawalSchema = z.object({
  id: z.uuid(),
  userId: z.uuid(),
  address: z.string(),
  amountSats: amountString,
  maxFeeSats: amountString.describe('Held with the amount: the most the network fee may be.'),
  feeSats: amountString.nullable(),
  status: withdrawalStatusSchema,
  txid: z.string().nullable(),
  createdAt: z.iso.datetime(),
  reviewedBy: z.uuid().nullable().describe('The admin who approved or rejected it.'),
  reviewedAt: z.iso.datetime().nullable(),
  rejectionReason: z.string().nullable(),
});
export type AdminWithdrawal = z.infer<typeof adminWithdrawalSchema>;

/** The answer of a fee bump: bitcoin-gateway's, sats as decimal strings. */
export const withdrawalFeeBumpSchema = z.object({
  withdrawalIds: z.array(z.uuid()).describe('Every withdrawal of the replaced transaction: they all move to the replacement.'),
  payoutId: z.uuid(),
  txid: z.string(),
  replacedTxid: z.string(),
  feeSats: amountString.describe('The fee of the whole replacement transaction.'),
  vsize: z.int(),
  status: z
    .enum(['broadcast', 'pending', 'superseded'])
    .describe('broadcast: the node took the replacement; pending: stored, the gateway retries it; superseded: the node refused it, the old transaction stands.'),
});
export type WithdrawalFeeBump = z.infer<typeof withdrawalFeeBumpSchema>;

/**
 * Admin review of withdrawals (approval above WITHDRAWAL_APPROVAL_THRESHOLD_SATS, fee bumps); inject with
 * {@link WALLET_ADMIN_API}. Every action is written to the audit trail with its actor. Throws the errors below;
 * a gateway that cannot answer is an HTTP 503 problem already.
 */
export interface WalletAdminApi {
  /** Withdrawals waiting for approval, newest first; `cursor` from the previous page ({@link InvalidCursorError} otherwise). */
  listAwaitingApproval(query: { limit: number; cursor?: string }): Promise<{ items: AdminWithdrawal[]; nextCursor: string | null }>;
  /**
   * Hands the withdrawal to the gateway as a request below the threshold would have been. Throws {@link WithdrawalNotFoundError},
   * {@link WithdrawalNotAwaitingApprovalError}, or UserNotActiveError when its user is no longer active.
   */
  approve(input: { withdrawalId: string; actorId: string }): Promise<AdminWithdrawal>;
  /** Releases the whole hold; the user is told (`wallet.withdrawal-rejected.v1`). Throws as {@link approve}, except for the user's state. */
  reject(input: { withdrawalId: string; actorId: string; reason: string }): Promise<AdminWithdrawal>;
  /** RBF of the withdrawal's broadcast transaction. Throws {@link WithdrawalNotFoundError}, {@link WithdrawalFeeBumpRefusedError}. */
  bumpFee(input: { withdrawalId: string; actorId: string; feeRateSatPerVb: string }): Promise<WithdrawalFeeBump>;
}

export const WALLET_ADMIN_API = Symbol.for('bitro.WalletAdminApi');

export class WithdrawalNotFoundError extends Error {
  override name = 'WithdrawalNotFoundError';

  constructor(readonly withdrawalId: string) {
    super(`No withdrawal ${withdrawalId}`);
  }
}

export class WithdrawalNotAwaitingApprovalError extends Error {
  override name = 'WithdrawalNotAwaitingApprovalError';

  constructor(
    readonly withdrawalId: string,
    readonly status: WithdrawalStatus,
  ) {
    super(`Withdrawal ${withdrawalId} is ${status}, not awaiting approval`);
  }
}

/** The fee bump was not made; `reason` is bitcoin-gateway's (not-broadcast, fee-rate-not-higher, exceeds-max-fee, ...). */
export class WithdrawalFeeBumpRefusedError extends Error {
  override name = 'WithdrawalFeeBumpRefusedError';

  constructor(
    readonly withdrawalId: string,
    readonly reason: string,
    readonly detail: string,
    /** 422 when the input is at fault (invalid-fee-rate), 409 otherwise. */
    readonly status: 409 | 422 = 409,
  ) {
    super(`Fee bump of withdrawal ${withdrawalId} refused (${reason}): ${detail}`);
  }
}

export class InvalidCursorError extends Error {
  override name = 'InvalidCursorError';

  constructor() {
    super('Not a cursor from a previous page');
  }
}
