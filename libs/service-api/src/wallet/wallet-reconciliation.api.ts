import type { DriftList, ReconciliationPageQuery } from '../reconciliation/reconciliation.contracts';

/** A wallet credit journal of a gift-card redemption (reference `redemption:<id>`). */
export interface RedemptionCreditJournal {
  redemptionId: string;
  journalId: string;
  userId: string;
  amountSats: bigint;
  createdAt: Date;
}

/**
 * What reconciliation reads of the wallet (read only); inject with {@link WALLET_RECONCILIATION_API}. The deposit and
 * withdrawal checks need only the wallet's own tables, so the wallet runs them itself.
 */
export interface WalletReconciliationApi {
  /** Redemption credit journals posted in the window, oldest first. */
  redemptionCredits(query: ReconciliationPageQuery): Promise<RedemptionCreditJournal[]>;
  /** The redemption credit journals of these redemptions. */
  findRedemptionCredits(redemptionIds: readonly string[]): Promise<RedemptionCreditJournal[]>;
  /** Deposits whose credits and reversals do not match their status (detected, confirmed, reversed). */
  depositDrift(input: { since: Date | null; limit: number }): Promise<DriftList>;
  /** Withdrawals whose hold, settlement and release do not match their status. */
  withdrawalDrift(input: { since: Date | null; limit: number }): Promise<DriftList>;
}

export const WALLET_RECONCILIATION_API = Symbol.for('bitro.WalletReconciliationApi');
