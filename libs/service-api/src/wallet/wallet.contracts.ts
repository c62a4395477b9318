import { z } from 'zod';

export const ledgerEntryKindSchema = z.enum(['credit', 'debit', 'hold', 'release', 'settle', 'deposit', 'deposit_reversal']);
export type LedgerEntryKind = z.infer<typeof ledgerEntryKindSchema>;

export interface WalletBalance {
  userId: string;
  availableSats: bigint;
  heldSats: bigint;
}
