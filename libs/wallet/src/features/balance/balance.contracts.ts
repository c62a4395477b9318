import { instantSchema } from '@bitro/db';
import { defineRoute, firstExample } from '@bitro/http';
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
}).meta({
  examples: [
    {
      availableSats: '1843200',
      heldSats: '255000',
      totalSats: '2098200',
      krw: {
        priceKrwPerBtc: '142350000',
        availableKrw: '2623795',
        totalKrw: '2986787',
        asOf: '2026-12-05T09:30:12.000Z',
        source: 'https://api.upbit.com/v1/ticker?markets=KRW-BTC',
      },
    },
  ],
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
}).meta({
  examples: [
    {
      journalId: '1b7d3f5a-9c2e-4d6b-a8f0-3e5c7a9b1d42',
      reference: 'redemption:0d2c6f4e-7a1b-4c3d-9e8f-1a2b3c4d5e6f',
      kind: 'credit',
      description: 'cultureland gift card redemption',
      availableDeltaSats: '32314',
      heldDeltaSats: '0',
      createdAt: '2026-12-04T11:20:31.874Z',
    },
  ],
});

export const historyPageSchema = z.object({
  items: z.array(ledgerEntrySchema),
  nextCursor: nextCursorSchema,
}).meta({
  // nextCursor: the position of the page's last entry (more, older entries follow).
  examples: [{ items: [firstExample(ledgerEntrySchema)], nextCursor: 'WyIyMDI2LTEyLTA0VDExOjIwOjMxLjg3NFoiLCIxYjdkM2Y1YS05YzJlLTRkNmItYThmMC0zZTVjN2E5YjFkNDIiXQ' }],
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
