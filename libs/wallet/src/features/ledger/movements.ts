import type { LedgerEntryKind } from '@bitro/service-api';

/** The accounts a movement can touch: the user's two, and the house's three (seeded by the migration). */
export type AccountRole = 'available' | 'held' | 'giftcard_liability' | 'fees' | 'hot_wallet';

/**
 * Every movement moves its amount from one account to another: a posting of -amount on `from` and
 * one of +amount on `to` (an account's balance is the sum of its postings).
 */
export const MOVEMENTS: Readonly<Record<LedgerEntryKind, { from: AccountRole; to: AccountRole }>> = {
  credit: { from: 'giftcard_liability', to: 'available' },
  debit: { from: 'available', to: 'fees' },
  hold: { from: 'available', to: 'held' },
  release: { from: 'held', to: 'available' },
  settle: { from: 'held', to: 'hot_wallet' },
  deposit: { from: 'hot_wallet', to: 'available' },
  deposit_reversal: { from: 'available', to: 'hot_wallet' },
};

export interface PlannedPosting {
  role: AccountRole;
  amountSats: bigint;
}

/** The postings of a movement of `amountSats` (positive). */
export function planPostings(kind: LedgerEntryKind, amountSats: bigint): PlannedPosting[] {
  const { from, to } = MOVEMENTS[kind];
  return [
    { role: from, amountSats: -amountSats },
    { role: to, amountSats },
  ];
}

/** How a movement changes the user's available and held balances. */
export function userDeltas(kind: LedgerEntryKind, amountSats: bigint): { availableDeltaSats: bigint; heldDeltaSats: bigint } {
  const deltaOf = (role: AccountRole) =>
    planPostings(kind, amountSats).reduce((sum, posting) => (posting.role === role ? sum + posting.amountSats : sum), 0n);
  return { availableDeltaSats: deltaOf('available'), heldDeltaSats: deltaOf('held') };
}

export const accountCode = (role: AccountRole, userId: string): string =>
  role === 'available' || role === 'held' ? `user:${userId}:${role}` : `house:${role}`;
