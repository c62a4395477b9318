import type { WalletBalance } from './wallet.contracts';

/** The wallet as other domains see it; inject it with {@link WALLET_API}. */
export interface WalletApi {
  /** The user's available and held satoshis (0 for a user without movements). */
  balance(userId: string): Promise<WalletBalance>;
}

export const WALLET_API = Symbol.for('bitro.WalletApi');

/** The ledger's invariants, as `npm run ledger:verify` and the tests check them. */
export interface LedgerReport {
  journals: number;
  postings: number;
  accounts: number;
  /** Journals whose postings do not sum to zero. */
  unbalancedJournals: Array<{ journalId: string; sum: bigint }>;
  /** Accounts whose cached balance differs from the sum of their postings. */
  balanceMismatches: Array<{ accountId: string; cached: bigint; computed: bigint }>;
  /** User accounts below zero. */
  negativeUserAccounts: Array<{ accountId: string; balance: bigint }>;
  ok: boolean;
}

/** Operator functions of the wallet; inject with {@link WALLET_OPS_API}. */
export interface WalletOpsApi {
  verifyLedger(): Promise<LedgerReport>;
  /**
   * Announces every journal (created at or after `since`) again as `wallet.journal-posted.v1`, oldest first, so the
   * audit trail records the journals it lacks (e.g. posted before it existed); it keeps one record per journal.
   */
  announceJournals(options?: { since?: Date }): Promise<{ journals: number }>;
}

export const WALLET_OPS_API = Symbol.for('bitro.WalletOpsApi');
