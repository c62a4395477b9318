import type { ReconciliationPageQuery } from '../reconciliation/reconciliation.contracts';

/** A redemption as reconciliation compares it with the wallet's credits. */
export interface ReconciledRedemption {
  id: string;
  userId: string;
  state: 'pending' | 'verified' | 'credited' | 'rejected' | 'flagged';
  /** The quoted satoshis the wallet credits; null before a quote. */
  amountSats: bigint | null;
  /** The wallet journal that credited it, once `credited`. */
  walletJournalId: string | null;
  /** When it last changed state: for a `verified` one, when it was approved. */
  changedAt: Date;
}

/**
 * What reconciliation reads of the gift-card domain (read only); inject with {@link GIFTCARD_RECONCILIATION_API}.
 */
export interface GiftcardReconciliationApi {
  /** Redemptions approved (`verified`) before `approvedBefore` and still not credited, oldest first: the count and the first `limit`. */
  uncredited(input: { approvedBefore: Date; limit: number }): Promise<{ count: number; items: ReconciledRedemption[] }>;
  /** Credited redemptions that changed in the window, oldest first. */
  credited(query: ReconciliationPageQuery): Promise<ReconciledRedemption[]>;
  /** The redemptions among `ids` that exist. */
  find(ids: readonly string[]): Promise<ReconciledRedemption[]>;
}

export const GIFTCARD_RECONCILIATION_API = Symbol.for('bitro.GiftcardReconciliationApi');
