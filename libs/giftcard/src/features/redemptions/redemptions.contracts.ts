import { pageQueryShape } from '@bitro/db';
import { defineRoute, firstExample } from '@bitro/http';
import { idempotencyKeyHeaders } from '@bitro/idempotency';
import { amountString } from '@bitro/service-api';
import { z } from 'zod';

export const redemptionStateSchema = z.enum(['pending', 'in-review', 'verified', 'credited', 'rejected']);

export const redemptionViewSchema = z.object({
  id: z.uuid(),
  brand: z.string(),
  state: redemptionStateSchema.describe(
    'pending (being checked, or waiting for the issuer or the price feed) → verified (the card is used up; the wallet credit is on its way) → credited; or rejected (see rejectionReason). ' +
      'in-review: the card is used up and quoted, but over the daily review amount; an admin approves it (→ verified) or rejects it.',
  ),
  faceValueKrw: amountString.nullable(),
  feeKrw: amountString.nullable(),
  priceKrwPerBtc: amountString.nullable(),
  amountSats: amountString.nullable().describe('What the wallet is credited: floor((face − fee) × 10^8 / price).'),
  quoteExpiresAt: z.iso.datetime().nullable(),
  rejectionReason: z.string().nullable().describe('pin-invalid, pin-already-used, face-value-not-accepted, daily-limit-exceeded, amount-too-small or rejected-in-review.'),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
}).meta({
  examples: [
    {
      id: '0d2c6f4e-7a1b-4c3d-9e8f-1a2b3c4d5e6f',
      brand: 'cultureland',
      state: 'verified',
      faceValueKrw: '50000',
      feeKrw: '4000',
      priceKrwPerBtc: '142350000',
      amountSats: '32314',
      quoteExpiresAt: '2026-12-04T11:21:30.912Z',
      rejectionReason: null,
      createdAt: '2026-12-04T11:20:30.912Z',
      updatedAt: '2026-12-04T11:20:31.540Z',
    },
  ],
});
export type RedemptionView = z.infer<typeof redemptionViewSchema>;

export const redeemBodySchema = z.strictObject({
  brand: z.string().min(1).max(64).describe('A brand code from GET /v1/giftcards/brands.'),
  pin: z.string().min(1).max(64).describe("The card's PIN; dashes and spaces are ignored."),
}).meta({ examples: [{ brand: 'cultureland', pin: '4180-1234-5678-901234' }] });

export const redeemRoute = defineRoute({
  method: 'POST',
  path: '/v1/giftcards/redemptions',
  tag: 'giftcards',
  summary: 'Redeem a gift-card PIN for bitcoin',
  access: 'user',
  headers: idempotencyKeyHeaders,
  body: redeemBodySchema,
  responses: {
    202: {
      description:
        'Accepted. A retry with the same `Idempotency-Key` and body gets this same answer. ' +
        'The state is verified when the card was used up and quoted, in-review when it was but waits for an admin (over the daily review amount), ' +
        'pending when the issuer or the price feed could not be reached (it is retried), or rejected.',
      schema: redemptionViewSchema,
    },
  },
  problems: {
    403: { types: ['account-not-active', 'email-not-verified'], description: 'The account is frozen, or its e-mail address is not verified yet.' },
    409: { types: ['pin-already-redeemed', 'idempotency-key-in-use'], description: 'This PIN was already redeemed, or a request with this Idempotency-Key is still being processed.' },
    422: { types: ['idempotency-key-reused', 'daily-limit-exceeded'], description: 'The Idempotency-Key was used with another body, or the card would exceed the daily limit.' },
    429: { types: ['daily-limit-reached'], description: "The day's limit for this brand is used up; see Retry-After." },
  },
});

export const redemptionParamsSchema = z.object({ id: z.uuid() });

export const getRedemptionRoute = defineRoute({
  method: 'GET',
  path: '/v1/giftcards/redemptions/:id',
  tag: 'giftcards',
  summary: 'One of my redemptions',
  access: 'user',
  params: redemptionParamsSchema,
  responses: { 200: { description: 'The redemption.', schema: redemptionViewSchema } },
  problems: { 404: { types: ['redemption-not-found'], description: 'No redemption of yours has this id.' } },
});

export const listRedemptionsQuerySchema = z.strictObject(pageQueryShape);

export const listRedemptionsRoute = defineRoute({
  method: 'GET',
  path: '/v1/giftcards/redemptions',
  tag: 'giftcards',
  summary: 'My redemptions, newest first',
  access: 'user',
  query: listRedemptionsQuerySchema,
  responses: {
    200: {
      description: 'A page of redemptions; `nextCursor` is null on the last page.',
      schema: z
        .object({ items: z.array(redemptionViewSchema), nextCursor: z.string().nullable() })
        .meta({ examples: [{ items: [firstExample(redemptionViewSchema)], nextCursor: null }] }),
    },
  },
});
