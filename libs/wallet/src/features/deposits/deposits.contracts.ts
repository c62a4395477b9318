import { addressType, bitcoinNetwork } from '@bitro/gateway-contract';
import { defineRoute } from '@bitro/http';
import { amountString } from '@bitro/service-api';
import { z } from 'zod';
import { gatewayUnavailableProblem } from '../gateway/gateway-unavailable';
import { nextCursorSchema, pageQueryShape } from '../ledger/paging';

export const depositAddressSchema = z.object({
  address: z.string(),
  type: addressType,
  network: bitcoinNetwork,
});
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
    200: { description: 'One page of deposits and the cursor of the next.', schema: z.object({ items: z.array(depositViewSchema), nextCursor: nextCursorSchema }) },
  },
});
