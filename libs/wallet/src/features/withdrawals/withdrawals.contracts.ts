import { pageQueryShape as adminPageQueryShape } from '@bitro/db';
import { feeRateSatPerVb, validateAddressRoute } from '@bitro/gateway-contract';
import { defineRoute, firstExample } from '@bitro/http';
import { idempotencyKeyHeaders } from '@bitro/idempotency';
import { amountString, positiveAmountString } from '@bitro/service-api';
import { z } from 'zod';
import { gatewayUnavailableProblem } from '../gateway/gateway-unavailable';
import { MAX_SATS } from '../ledger/ledger.service';
import { nextCursorSchema, pageQueryShape } from '../ledger/paging';

/** A withdrawal's status as the API shows it (the wallet stores `awaiting_approval`). */
export const withdrawalStatusSchema = z
  .enum(['awaiting-approval', 'requested', 'broadcast', 'confirmed', 'failed', 'rejected'])
  .describe(
    'awaiting-approval (above the approval threshold: held, waiting for an admin) → requested → broadcast (txid known; a fee bump may replace it) → confirmed; ' +
      'or failed (see failureReason) / rejected by an admin (see rejectionReason): nothing was sent, the hold returned.',
  );
export type WithdrawalStatus = z.infer<typeof withdrawalStatusSchema>;

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
}).meta({
  examples: [
    {
      id: 'c4a1e7d2-5b3f-4a8e-9d1c-2f6b8e0a3c57',
      address: 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080',
      amountSats: '250000',
      maxFeeSats: '5000',
      feeSats: '2820',
      status: 'broadcast',
      txid: 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16',
      vout: 0,
      failureReason: null,
      rejectionReason: null,
      createdAt: '2026-12-03T15:02:11.406Z',
      broadcastAt: '2026-12-03T15:02:14.982Z',
      confirmedAt: null,
      failedAt: null,
      rejectedAt: null,
    },
  ],
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
).meta({ examples: [{ address: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', amountSats: '250000', maxFeeSats: '5000' }] });

export const requestWithdrawalHeadersSchema = idempotencyKeyHeaders.extend({
  'TOTP-Code': z
    .string()
    .optional()
    .describe('With two-factor authentication on: a current code of the authenticator app (each code works once; not needed for a retry that gets the first answer again).')
    .meta({ examples: ['492039'] }),
});

export const requestWithdrawalRoute = defineRoute({
  method: 'POST',
  path: '/v1/wallet/withdrawals',
  tag: 'wallet',
  summary: 'Send bitcoin to an address',
  access: 'user',
  headers: requestWithdrawalHeadersSchema,
  body: requestWithdrawalBodySchema,
  responses: {
    202: {
      description:
        'Accepted: amount + maxFee are held and the withdrawal is on its way (`requested`), or, above the approval threshold, waits for an admin (`awaiting-approval`); ' +
        'at confirmation the actual fee is charged and the rest released, a rejection releases it all. ' +
        'A retry with the same `Idempotency-Key` and body gets the first answer again (this 202 and body, ' +
        'or its 403/422 problem), with `Idempotent-Replayed: true`; a 409, 429 or 5xx is not kept, so its retry runs again.',
      schema: withdrawalViewSchema,
    },
  },
  problems: {
    403: {
      types: ['account-not-active', 'email-not-verified', 'two-factor-required', 'invalid-two-factor-code'],
      description: 'The account is frozen; or its e-mail address is not verified yet; or, with two-factor authentication on, the `TOTP-Code` header is missing or its code wrong or used.',
    },
    409: { types: ['idempotency-key-in-use'], description: 'A request with this Idempotency-Key is still being processed; retry after Retry-After.' },
    422: {
      types: ['amount-too-small', 'amount-too-large', 'invalid-address', 'max-fee-too-low', 'insufficient-funds', 'daily-limit-exceeded', 'idempotency-key-reused'],
      description: 'Below the minimum, over 21 million BTC with the fee, an invalid address, a maxFeeSats below the estimate, insufficient funds, over the daily limit, or an Idempotency-Key used with another body.',
    },
    503: { types: [...gatewayUnavailableProblem.types, 'fee-estimate-unavailable'], description: `${gatewayUnavailableProblem.description} Or no network fee estimate is available.` },
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
  problems: { 404: { types: ['withdrawal-not-found'], description: 'No withdrawal of yours has this id.' } },
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
      schema: z
        .object({ items: z.array(withdrawalViewSchema), nextCursor: nextCursorSchema })
        .meta({ examples: [{ items: [firstExample(withdrawalViewSchema)], nextCursor: null }] }),
    },
  },
});

// Admin routes: withdrawals above WITHDRAWAL_APPROVAL_THRESHOLD_SATS, and fee bumps of stuck ones.

/** A withdrawal as an admin reviews it. */
export const adminWithdrawalSchema = z.object({
  id: z.uuid(),
  userId: z.uuid(),
  address: z.string(),
  amountSats: amountString,
  maxFeeSats: amountString.describe('Held with the amount: the most the network fee may be.'),
  feeSats: amountString.nullable(),
  status: withdrawalStatusSchema,
  txid: z.string().nullable(),
  createdAt: z.iso.datetime(),
  reviewedBy: z.uuid().nullable().describe('The admin who approved or rejected it.'),
  reviewedAt: z.iso.datetime().nullable(),
  rejectionReason: z.string().nullable(),
}).meta({
  examples: [
    {
      id: 'e8b2d4f6-1a3c-4e5b-8d7f-9a0c2e4b6d81',
      userId: '3f6b2c1e-8d4a-4f7b-9c2e-5a1d7e9b0c44',
      address: 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080',
      amountSats: '15000000',
      maxFeeSats: '6000',
      feeSats: null,
      status: 'awaiting-approval',
      txid: null,
      createdAt: '2026-12-05T08:11:47.203Z',
      reviewedBy: null,
      reviewedAt: null,
      rejectionReason: null,
    },
  ],
});
export type AdminWithdrawal = z.infer<typeof adminWithdrawalSchema>;

/** The answer of a fee bump: bitcoin-gateway's, sats as decimal strings. */
export const withdrawalFeeBumpSchema = z.object({
  withdrawalIds: z.array(z.uuid()).describe('Every withdrawal of the replaced transaction: they all move to the replacement.'),
  payoutId: z.uuid(),
  txid: z.string(),
  replacedTxid: z.string(),
  feeSats: amountString.describe('The fee of the whole replacement transaction.'),
  vsize: z.int(),
  status: z
    .enum(['broadcast', 'pending', 'superseded'])
    .describe('broadcast: the node took the replacement; pending: stored, the gateway retries it; superseded: the node refused it, the old transaction stands.'),
}).meta({
  examples: [
    {
      withdrawalIds: ['c4a1e7d2-5b3f-4a8e-9d1c-2f6b8e0a3c57'],
      payoutId: '2d9f4b6e-8a1c-4f3d-b5e7-6c0a8e2d4f19',
      txid: '8c14f0db3df150123e6f3dbbf30f8b955a8249b62ac1d1ff16284aefa3d06d87',
      replacedTxid: 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16',
      feeSats: '3525',
      vsize: 141,
      status: 'broadcast',
    },
  ],
});
export type WithdrawalFeeBump = z.infer<typeof withdrawalFeeBumpSchema>;

/** The example withdrawal after an admin's decision. */
const reviewed = (status: 'requested' | 'rejected', rejectionReason: string | null): AdminWithdrawal => ({
  ...firstExample(adminWithdrawalSchema),
  status,
  reviewedBy: '9a0c7e52-1b3d-4e8f-a6c2-7d5e4f3b2a10',
  reviewedAt: '2026-12-05T08:40:03.655Z',
  rejectionReason,
});

const notFound = { types: ['withdrawal-not-found'], description: 'No withdrawal has this id.' } as const;
const notAwaiting = 'The withdrawal is not awaiting approval (also when it was already decided), or it is your own request (another admin decides it).';

export const listAwaitingApprovalRoute = defineRoute({
  method: 'GET',
  path: '/v1/admin/withdrawals/awaiting-approval',
  tag: 'admin',
  summary: 'Withdrawals above WITHDRAWAL_APPROVAL_THRESHOLD_SATS waiting for a decision, newest first',
  access: 'admin',
  query: z.strictObject(adminPageQueryShape),
  responses: {
    200: {
      description: 'A page of held withdrawals; `nextCursor` is null on the last page.',
      schema: z
        .object({ items: z.array(adminWithdrawalSchema), nextCursor: z.string().nullable() })
        .meta({ examples: [{ items: [firstExample(adminWithdrawalSchema)], nextCursor: null }] }),
    },
  },
});

export const approveWithdrawalRoute = defineRoute({
  method: 'POST',
  path: '/v1/admin/withdrawals/:id/approve',
  tag: 'admin',
  summary: 'Approve a withdrawal: it goes to bitcoin-gateway as any request below the threshold (audited as withdrawal.approve)',
  access: 'admin',
  params: withdrawalParamsSchema,
  responses: {
    200: {
      description: 'Approved: `requested`, on its way to the gateway. Its maxFee is the one chosen at the request: if fees rose since, the gateway may fail it (fee-too-high) and the hold returns.',
      schema: adminWithdrawalSchema.meta({ examples: [reviewed('requested', null)] }),
    },
  },
  problems: {
    404: notFound,
    409: { types: ['withdrawal-not-awaiting-approval', 'own-request', 'account-not-active'], description: `${notAwaiting} Or its user is frozen.` },
  },
});

export const rejectWithdrawalRoute = defineRoute({
  method: 'POST',
  path: '/v1/admin/withdrawals/:id/reject',
  tag: 'admin',
  summary: 'Reject a withdrawal: its whole hold returns to the user, who is told the reason (audited as withdrawal.reject)',
  access: 'admin',
  params: withdrawalParamsSchema,
  body: z
    .strictObject({ reason: z.string().trim().min(1).max(500).describe('Why; shown to the user and kept in the audit trail.') })
    .meta({ examples: [{ reason: 'The destination address is on a sanctions list.' }] }),
  responses: {
    200: {
      description: 'Rejected: nothing was sent, the hold is released.',
      schema: adminWithdrawalSchema.meta({ examples: [reviewed('rejected', 'The destination address is on a sanctions list.')] }),
    },
  },
  problems: { 404: notFound, 409: { types: ['withdrawal-not-awaiting-approval', 'own-request'], description: notAwaiting } },
});

export const bumpFeeRoute = defineRoute({
  method: 'POST',
  path: '/v1/admin/withdrawals/:id/bump-fee',
  tag: 'admin',
  summary: "RBF: replace a stuck withdrawal's unconfirmed transaction by one paying a higher fee rate (audited as withdrawal.bump-fee)",
  access: 'admin',
  params: withdrawalParamsSchema,
  body: z.strictObject({
    feeRateSatPerVb: feeRateSatPerVb.describe('The new fee rate in sat/vB, e.g. "25" or "12.5" (at most 3 decimals).'),
  }).meta({ examples: [{ feeRateSatPerVb: '25' }] }),
  responses: {
    200: {
      description: "The gateway's result: the replacement's txid and fee (every withdrawal of the transaction moves along). The withdrawal shows them once the gateway reports the broadcast.",
      schema: withdrawalFeeBumpSchema,
    },
  },
  problems: {
    404: notFound,
    409: {
      types: ['not-broadcast', 'already-confirmed', 'fee-rate-not-higher', 'exceeds-max-fee', 'has-descendants', 'insufficient-change'],
      description: 'The gateway refused: the problem type names why (exceeds-max-fee: the fee would exceed the maxFeeSats held).',
    },
    422: { types: ['invalid-fee-rate'], description: 'The fee rate is not one the gateway accepts.' },
    503: gatewayUnavailableProblem,
  },
});
