import { instantSchema } from '@bitro/db';
import { defineRoute } from '@bitro/http';
import { amountString, ledgerEntryKindSchema, signedAmountString } from '@bitro/service-api';
import { z } from 'zod';
import { nextCursorSchema, pageQueryShape } from '../ledger/paging';

export const walletBalanceSchema = z.object({
  availableSats: amountString,
  heldSats: amountString,
  totalSats: amountString,
  krw: z
    .object({
      priceKrwPerBtc: amountString,
      availableKrw: amountString,
      totalKrw: amountString,
      asOf: z.iso.datetime(),
      source: z.string(),
    })
    .nullable()
    .meta({ description: 'Estimate at the current price (rounded down); null when no price is available.' }),
});
export type WalletBalanceView = z.input<typeof walletBalanceSchema>;

export const ledgerEntrySchema = z.object({
  journalId: z.uuid(),
  reference: z.string(),
  kind: ledgerEntryKindSchema,
  description: z.string(),
  availableDeltaSats: signedAmountString,
  heldDeltaSats: signedAmountString,
  createdAt: z.iso.datetime(),
});

export const historyPageSchema = z.object({
  items: z.array(ledgerEntrySchema),
  nextCursor: nextCursorSchema,
});
export type HistoryPageView = z.input<typeof historyPageSchema>;

export const historyQuerySchema = z
  .object({
    ...pageQueryShape,
    kind: ledgerEntryKindSchema.optional(),
    from: instantSchema.optional().meta({ description: 'Only entries at or after this instant.' }),
    to: instantSchema.optional().meta({ description: 'Only entries before this instant.' }),
  })
  .refine((query) => !query.from || !query.to || query.from < query.to, { message: 'must be after `from`', path: ['to'] });

export const getBalanceRoute = defineRoute({
  method: 'GET',
  path: '/v1/wallet/balance',
  tag: 'wallet',
  summary: 'The signed-in user’s balance in satoshis, with a KRW estimate',
  access: 'user',
  responses: { 200: { description: 'Available, held and total satoshis (decimal strings).', schema: walletBalanceSchema } },
});

export const getTransactionsRoute = defineRoute({
  method: 'GET',
  path: '/v1/wallet/transactions',
  tag: 'wallet',
  summary: 'The signed-in user’s ledger entries, newest first',
  access: 'user',
  query: historyQuerySchema,
  responses: { 200: { description: 'One page of entries and the cursor of the next.', schema: historyPageSchema } },
});
