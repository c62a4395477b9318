import { z } from 'zod';
import { defineEvent, positiveAmountString, signedAmountString } from '../events/event-contract';
import { ledgerEntryKindSchema } from './wallet.contracts';

/** The wallet posted a credit to a user's available balance (e.g. for a redemption). */
export const walletCreditedV1 = defineEvent(
  'wallet.credited.v1',
  z.object({
    journalId: z.uuid(),
    userId: z.uuid(),
    amountSats: positiveAmountString,
    /** The idempotency reference of the credit, e.g. `redemption:<id>`: an opaque key, never parsed by a consumer. */
    reference: z.string(),
    /** The gift-card redemption this credit pays (every credit the wallet announces today is one). */
    redemptionId: z.uuid().optional(),
  }),
);

/**
 * The ledger posted a new journal (any kind), announced in the posting's own transaction; an idempotent replay of a
 * reference announces nothing. The audit trail records every one.
 */
export const walletJournalPostedV1 = defineEvent(
  'wallet.journal-posted.v1',
  z.object({
    journalId: z.uuid(),
    kind: ledgerEntryKindSchema,
    userId: z.uuid(),
    amountSats: positiveAmountString,
    reference: z.string(),
    description: z.string(),
    /** The hold a release or settle closes; null for other kinds. */
    holdReference: z.string().nullable(),
    /** Account codes (`user:<id>:available`, `house:fees`, ...) and signed amounts; they sum to zero. */
    postings: z.array(z.object({ account: z.string(), amountSats: signedAmountString })).min(2),
    createdAt: z.iso.datetime(),
  }),
);

/** An admin rejected a withdrawal that awaited approval: nothing was sent and its whole hold was released. */
export const walletWithdrawalRejectedV1 = defineEvent(
  'wallet.withdrawal-rejected.v1',
  z.object({
    withdrawalId: z.uuid(),
    userId: z.uuid(),
    amountSats: positiveAmountString,
    address: z.string(),
    /** The admin's reason, shown to the user. */
    reason: z.string(),
  }),
);
