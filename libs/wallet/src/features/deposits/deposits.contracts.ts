import { addressType, bitcoinNetwork } from '@bitro/gateway-contract';
import { defineRoute, firstExample } from '@bitro/http';
import { amountString } from '@bitro/service-api';
import { z } from 'zod';
import { gatewayUnavailableProblem } from '../gateway/gateway-unavailable';
import { nextCursorSchema, pageQueryShape } from '../ledger/paging';

export const depositAddressSchema = z.object({
  address: z.string(),
  type: addressType,
  network: bitcoinNetwork,
}).meta({ examples: [{ address: 'bcrt1q33s6m8f0lkcpdt03rdnrdnaelsdpm3wjt4qtqv', type: 'p2wpkh', network: 'regtest' }] });
export type DepositAddressView = z.infer<typeof depositAddressSchema>;

export const depositAddressRoute = defineRoute({
  method: 'POST',
  path: '/v1/wallet/deposit-address',
  tag: 'wallet',
  summary: 'My current bitcoin deposit address',
  access: 'user',
  responses: {
    200: {
      description: 'The same address until it receives a payment; a new one after that. Payments are credited once confirmed.',
      schema: depositAddressSchema,
    },
  },
  problems: {
    403: { types: ['email-not-verified', 'account-not-active'], description: 'Verify the e-mail address first, or the account is frozen.' },
    503: gatewayUnavailableProblem,
  },
});

export const depositViewSchema = z.object({
  id: z.uuid(),
  txid: z.string(),
  vout: z.int(),
  address: z.string(),
  amountSats: amountString,
  status: z
    .enum(['detected', 'confirmed', 'reversed'])
    .describe('detected (seen, not credited yet) → confirmed (credited); reversed when it left the chain (its credit taken back).'),
  confirmations: z.int(),
  blockHeight: z.int().nullable(),
  detectedAt: z.iso.datetime(),
  confirmedAt: z.iso.datetime().nullable(),
  reversedAt: z.iso.datetime().nullable(),
}).meta({
  examples: [
    {
      id: '7e3b9a1c-2d4f-4b6a-8c0e-5f1a3d7b9e20',
      txid: 'a1075db55d416d3ca199f55b6084e2115b9345e16c5cf302fc80e9d5fbf5d48d',
      vout: 1,
      address: 'bcrt1q33s6m8f0lkcpdt03rdnrdnaelsdpm3wjt4qtqv',
      amountSats: '1500000',
      status: 'confirmed',
      confirmations: 6,
      blockHeight: 1204,
      detectedAt: '2026-12-01T08:45:02.117Z',
      confirmedAt: '2026-12-01T09:38:40.530Z',
      reversedAt: null,
    },
  ],
});
export type DepositView = z.infer<typeof depositViewSchema>;

export const listDepositsRoute = defineRoute({
  method: 'GET',
  path: '/v1/wallet/deposits',
  tag: 'wallet',
  summary: 'My bitcoin deposits, newest first',
  access: 'user',
  query: z.object(pageQueryShape),
  responses: {
    200: {
      description: 'One page of deposits and the cursor of the next.',
      schema: z
        .object({ items: z.array(depositViewSchema), nextCursor: nextCursorSchema })
        .meta({ examples: [{ items: [firstExample(depositViewSchema)], nextCursor: null }] }),
    },
  },
});
