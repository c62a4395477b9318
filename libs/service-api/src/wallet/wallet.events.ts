import { z } from 'zod';
import { defineEvent, positiveAmountString } from '../events/event-contract';

/** The wallet posted a credit to a user's available balance (e.g. for a redemption). */
export const walletCreditedV1 = defineEvent(
  'wallet.credited.v1',
  z.object({
    journalId: z.uuid(),
    userId: z.uuid(),
    amountSats: positiveAmountString,
    /** The idempotency reference of the credit, e.g. `redemption:<id>`. */
    reference: z.string(),
  }),
);
