import type { LedgerEntryKind } from '@bitro/service-api';

/** One journal transaction as its user sees it. Amounts are signed from the user's point of view. */
export interface LedgerEntry {
  journalId: string;
  reference: string;
  kind: LedgerEntryKind;
  description: string;
  /** Change of the user's available balance. */
  availableDeltaSats: bigint;
  /** Change of the user's held balance. */
  heldDeltaSats: bigint;
  createdAt: string;
}

export interface MovementInput {
  userId: string;
  /** Positive satoshis. */
  amountSats: bigint;
  /** Idempotency reference: the same reference posts once; repeating it with other values fails. */
  reference: string;
  description: string;
}

/** Closes (part of) a hold: `amountSats` of it, or all it still holds; the hold stays open while something remains. */
export interface HoldClosingInput {
  userId: string;
  /** The reference the hold was posted under. */
  holdReference: string;
  /** Positive satoshis, at most what the hold still holds; omitted: all of it. */
  amountSats?: bigint;
  reference: string;
  description: string;
}

export interface HistoryQuery {
  limit?: number;
  /** Opaque cursor from a previous page. */
  cursor?: string;
  kind?: LedgerEntryKind;
  /** Entries created at or after `from`... */
  from?: Date;
  /** ...and before `to` (exclusive). */
  to?: Date;
}

export interface HistoryPage {
  items: LedgerEntry[];
  nextCursor: string | null;
}
