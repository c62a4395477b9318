import { validateAddressRoute } from '@bitro/gateway-contract';
import { defineRoute } from '@bitro/http';
import { amountString, positiveAmountString, withdrawalStatusSchema } from '@bitro/service-api';
import { z } from 'zod';
import { MAX_SATS } from '../ledger/ledger.service';
import { gatewayUnavailable } from './deposit.contracts';
import { nextCursorSchema, pageQueryShape } from './wallet.contracts';

// Refinements run even after the schema's own pattern failed: only a decimal string is compared.
const isDecimal = (value: unknown): value is string => typeof value === 'string' && /^[0-9]+$/.test(value);
const sats = <S extends z.ZodString>(schema: S) => schema.refine((value) => !isDecimal(value) || BigInt(value) <= MAX_SATS, `must be at most ${MAX_SATS} (21 million BTC)`);

export const withdrawalViewSchema = z.object({
  id: z.uuid(),
  address: z.string(),
  amountSats: amountString,
  maxFeeSats: amountString.describe('The most the network fee may be; held with the amount until the withdrawal is mined.'),
  feeSats: amountString.nullable().describe('The fee of the broadcast transaction; null before.'),
  status: withdrawalStatusSchema,
  txid: z.string().nullable(),
  vout: z.int().nullable(),
  failureReason: z.string().nullable(),
  rejectionReason: z.string().nullable().describe('Why an admin rejected it; null unless rejected.'),
  createdAt: z.iso.datetime(),
  broadcastAt: z.iso.datetime().nullable(),
  confirmedAt: z.iso.datetime().nullable(),
  failedAt: z.iso.datetime().nullable(),
  rejectedAt: z.iso.datetime().nullable(),
});
export type WithdrawalView = z.infer<typeof withdrawalViewSchema>;

export const requestWithdrawalBodySchema = z.strictObject({
  address: validateAddressRoute.body.shape.address.describe('A bitcoin address of the network Bitro runs on.'),
  amountSats: sats(positiveAmountString).describe('Satoshis the address receives (a decimal string).'),
  maxFeeSats: sats(amountString)
    .optional()
    .describe("The most you agree to pay in network fees (a decimal string); at least the current estimate. Default: twice the current estimate (WITHDRAWAL_MAX_FEE_MULTIPLIER_PERCENT)."),
}).refine(
  // Both are held together: their sum is an amount too. (Each field's own faults are reported by the field.)
  (body) => !isDecimal(body.amountSats) || !isDecimal(body.maxFeeSats) || BigInt(body.amountSats) + BigInt(body.maxFeeSats) <= MAX_SATS,
  { path: ['maxFeeSats'], message: `amountSats + maxFeeSats must be at most ${MAX_SATS} (21 million BTC)` },
);

export const requestWithdrawalRoute = defineRoute({
  method: 'POST',
  path: '/v1/wallet/withdrawals',
  tag: 'wallet',
  summary: 'Send bitcoin to an address',
  access: 'user',
  body: requestWithdrawalBodySchema,
  responses: {
    200: { description: 'A retry (same `Idempotency-Key`, same body): the withdrawal the first request created, as it is now.', schema: withdrawalViewSchema },
    202: {
      description:
        'Accepted: amount + maxFee are held and the withdrawal is on its way (`requested`), or, above the approval threshold, waits for an admin (`awaiting-approval`); ' +
        'at confirmation the actual fee is charged and the rest released, a rejection releases it all. ' +
        'Send an `Idempotency-Key` header (1-255 visible ASCII characters): a retry with the same key and body returns the same withdrawal.',
      schema: withdrawalViewSchema,
    },
  },
  problems: {
    403: 'account-not-active: the account is frozen; email-not-verified: verify the e-mail address first; two-factor-required / invalid-two-factor-code: with two-factor authentication on, send a fresh code in the `TOTP-Code` header (each code works once).',
    422: 'Below the minimum, over the daily limit, an invalid address, a maxFeeSats below the estimate, insufficient funds, or an Idempotency-Key used with another body.',
    503: gatewayUnavailable,
  },
});

export const withdrawalParamsSchema = z.object({ id: z.uuid() });

export const getWithdrawalRoute = defineRoute({
  method: 'GET',
  path: '/v1/wallet/withdrawals/:id',
  tag: 'wallet',
  summary: 'One of my withdrawals',
  access: 'user',
  params: withdrawalParamsSchema,
  responses: { 200: { description: 'The withdrawal.', schema: withdrawalViewSchema } },
  problems: { 404: 'No withdrawal of yours has this id.' },
});

export const listWithdrawalsRoute = defineRoute({
  method: 'GET',
  path: '/v1/wallet/withdrawals',
  tag: 'wallet',
  summary: 'My withdrawals, newest first',
  access: 'user',
  query: z.object(pageQueryShape),
  responses: {
    200: {
      description: 'One page of withdrawals and the cursor of the next.',
      schema: z.object({ items: z.array(withdrawalViewSchema), nextCursor: nextCursorSchema }),
    },
  },
});
