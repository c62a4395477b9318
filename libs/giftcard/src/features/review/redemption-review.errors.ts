import type { ApproveRedemptionInput, FlaggedRedemptionPage, ListFlaggedInput, RejectRedemptionInput, ReviewedRedemption } from './giftcard-admin.contracts';

/**
 * Review of flagged redemptions (over the daily review amount); inject with {@link GIFTCARD_ADMIN_API}. The caller
 * checks the admin role; every decision is written to the audit trail in the same transaction as the change.
 */
export interface GiftcardAdminApi {
  /** Flagged redemptions, newest first. */
  listFlagged(input: ListFlaggedInput): Promise<FlaggedRedemptionPage>;
  /**
   * Approves a flagged redemption: it becomes `verified` and the wallet credits the stored quote. Throws
   * {@link RedemptionNotFoundError}, {@link RedemptionNotFlaggedError} (also for a repeat) and `UserNotActiveError`
   * when the user is frozen.
   */
  approve(input: ApproveRedemptionInput): Promise<ReviewedRedemption>;
  /** Rejects a flagged redemption (`rejected-in-review`); the user is told. Throws as {@link approve}, a frozen user aside. */
  reject(input: RejectRedemptionInput): Promise<ReviewedRedemption>;
}

export const GIFTCARD_ADMIN_API = Symbol.for('bitro.GiftcardAdminApi');

export class RedemptionNotFoundError extends Error {
  override name = 'RedemptionNotFoundError';

  constructor(readonly redemptionId: string) {
    super(`No redemption has the id ${redemptionId}`);
  }
}

/** The redemption is not (or no longer) waiting for review. */
export class RedemptionNotFlaggedError extends Error {
  override name = 'RedemptionNotFlaggedError';

  constructor(
    readonly redemptionId: string,
    readonly state: string,
  ) {
    super(`Redemption ${redemptionId} is ${state}, not flagged for review`);
  }
}
