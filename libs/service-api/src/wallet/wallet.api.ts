import type { HistoryPage, HistoryQuery, HoldClosingInput, LedgerEntry, MovementInput, WalletBalance } from './wallet.contracts';

/**
 * The wallet as other domains see it; inject it with {@link WALLET_API}. Every movement is a
 * balanced double-entry journal, posted once per `reference`: repeating a call with the same
 * reference and values returns the first posting; with other values it throws
 * {@link WalletReferenceConflictError}.
 */
export interface WalletApi {
  /** House (gift-card liability) → user available. */
  credit(input: MovementInput): Promise<LedgerEntry>;
  /** User available → house (fees). Throws {@link InsufficientFundsError}. */
  debit(input: MovementInput): Promise<LedgerEntry>;
  /** User available → user held. Throws {@link InsufficientFundsError}. */
  hold(input: MovementInput): Promise<LedgerEntry>;
  /**
   * Returns (part of) what the hold `holdReference` still holds to available; posted under `reference`.
   * Throws {@link HoldClosedError} when nothing remains, {@link HoldExceededError} for more than remains.
   */
  release(input: HoldClosingInput): Promise<LedgerEntry>;
  /**
   * Moves (part of) what `holdReference` still holds out of the user's held balance to the hot wallet (money
   * sent), e.g. a withdrawal's amount and actual fee, the rest of its hold then released. Throws as {@link release}.
   */
  settle(input: HoldClosingInput): Promise<LedgerEntry>;
  balance(userId: string): Promise<WalletBalance>;
  history(userId: string, query?: HistoryQuery): Promise<HistoryPage>;
}

export const WALLET_API = Symbol.for('bitro.WalletApi');

export class InsufficientFundsError extends Error {
  constructor(
    readonly userId: string,
    readonly requestedSats: bigint,
  ) {
    super(`Insufficient funds for user ${userId}: ${requestedSats} sats requested`);
    this.name = 'InsufficientFundsError';
  }
}

export class WalletReferenceConflictError extends Error {
  constructor(readonly reference: string) {
    super(`Reference ${reference} was already posted with other values`);
    this.name = 'WalletReferenceConflictError';
  }
}

/** A release or settle named a hold that does not exist for that user. */
export class HoldNotFoundError extends Error {
  override name = 'HoldNotFoundError';

  constructor(
    readonly userId: string,
    readonly holdReference: string,
  ) {
    super(`No hold ${holdReference} for user ${userId}`);
  }
}

/** A release or settle named a hold that earlier releases or settles have already used up. */
export class HoldClosedError extends Error {
  override name = 'HoldClosedError';

  constructor(
    readonly holdReference: string,
    readonly closedBy: string | null,
  ) {
    super(`Hold ${holdReference} is already closed${closedBy ? ` by ${closedBy}` : ''}`);
  }
}

/** A release or settle asked for more than the hold still holds. */
export class HoldExceededError extends Error {
  override name = 'HoldExceededError';

  constructor(
    readonly holdReference: string,
    readonly remainingSats: bigint,
    readonly requestedSats: bigint,
  ) {
    super(`Hold ${holdReference} holds ${remainingSats} sats, not ${requestedSats}`);
  }
}

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
