import { pageQueryShape } from '@bitro/db';
import { defineRoute, firstExample } from '@bitro/http';
import { amountString } from '@bitro/service-api';
import { z } from 'zod';

/** A redemption held for review: the card is used up at the issuer, the quote stored, nothing credited yet. */
export const flaggedRedemptionViewSchema = z.object({
  id: z.uuid(),
  userId: z.uuid(),
  brand: z.string(),
  faceValueKrw: amountString,
  feeKrw: amountString,
  priceKrwPerBtc: amountString,
  amountSats: amountString,
  createdAt: z.iso.datetime(),
}).meta({
  examples: [
    {
      id: '5f1d3b7e-9c2a-4e6d-8b0f-4a6c8e0b2d73',
      userId: '3f6b2c1e-8d4a-4f7b-9c2e-5a1d7e9b0c44',
      brand: 'cultureland',
      faceValueKrw: '50000',
      feeKrw: '4000',
      priceKrwPerBtc: '142350000',
      amountSats: '32314',
      createdAt: '2026-12-05T07:52:18.044Z',
    },
  ],
});
export type FlaggedRedemptionView = z.infer<typeof flaggedRedemptionViewSchema>;

export const listFlaggedInputSchema = z.object({
  limit: z.int().min(1).max(100).default(20),
  /** `nextCursor` of the previous page. */
  cursor: z.string().max(200).optional(),
});
export type ListFlaggedInput = z.input<typeof listFlaggedInputSchema>;

export interface FlaggedRedemptionPage {
  items: FlaggedRedemptionView[];
  nextCursor: string | null;
}

export const approveRedemptionInputSchema = z.object({ redemptionId: z.uuid(), actorId: z.uuid() });
export type ApproveRedemptionInput = z.input<typeof approveRedemptionInputSchema>;

export const rejectRedemptionInputSchema = approveRedemptionInputSchema.extend({ reason: z.string().trim().min(1).max(500) });
export type RejectRedemptionInput = z.input<typeof rejectRedemptionInputSchema>;

/** A reviewed redemption: approved (`verified`, the wallet credit is on its way) or `rejected`. */
export interface ReviewedRedemption {
  id: string;
  userId: string;
  state: 'verified' | 'rejected';
}

const redemptionParams = z.object({ id: z.uuid() });

/** The example flagged redemption after an admin's decision. */
const decided = (state: ReviewedRedemption['state']): ReviewedRedemption => {
  const { id, userId } = firstExample(flaggedRedemptionViewSchema);
  return { id, userId, state };
};

export const listFlaggedRedemptionsRoute = defineRoute({
  method: 'GET',
  path: '/v1/admin/redemptions/flagged',
  tag: 'admin',
  summary: 'Redemptions held for review (over the daily review amount), newest first',
  access: 'admin',
  query: z.strictObject(pageQueryShape),
  responses: {
    200: {
      description: 'A page of flagged redemptions with their stored quotes; `nextCursor` is null on the last page.',
      schema: z
        .object({ items: z.array(flaggedRedemptionViewSchema), nextCursor: z.string().nullable() })
        .meta({ examples: [{ items: [firstExample(flaggedRedemptionViewSchema)], nextCursor: null }] }),
    },
  },
});

export const approveRedemptionRoute = defineRoute({
  method: 'POST',
  path: '/v1/admin/redemptions/:id/approve',
  tag: 'admin',
  summary: 'Approve a flagged redemption: the wallet credits its stored quote (audited as redemption.approve)',
  access: 'admin',
  params: redemptionParams,
  responses: { 200: { description: 'Approved: verified, the credit is on its way.', schema: z.object({ id: z.uuid(), userId: z.uuid(), state: z.literal('verified') }).meta({ examples: [decided('verified')] }) } },
  problems: {
    404: { types: ['redemption-not-found'], description: 'No redemption has this id.' },
    409: {
      types: ['redemption-not-flagged', 'own-request', 'account-not-active'],
      description: 'The redemption is not flagged (also when it was already decided), it is your own request (another admin decides it), or its user is frozen.',
    },
  },
});

export const rejectRedemptionRoute = defineRoute({
  method: 'POST',
  path: '/v1/admin/redemptions/:id/reject',
  tag: 'admin',
  summary: 'Reject a flagged redemption; the user is told rejected-in-review (audited as redemption.reject)',
  access: 'admin',
  params: redemptionParams,
  body: z
    .strictObject({ reason: z.string().trim().min(1).max(500).describe('Why, for the audit trail (the user is not shown it).') })
    .meta({ examples: [{ reason: 'The issuer reports the card as stolen.' }] }),
  responses: { 200: { description: 'Rejected.', schema: z.object({ id: z.uuid(), userId: z.uuid(), state: z.literal('rejected') }).meta({ examples: [decided('rejected')] }) } },
  problems: {
    404: { types: ['redemption-not-found'], description: 'No redemption has this id.' },
    409: { types: ['redemption-not-flagged', 'own-request'], description: 'The redemption is not flagged (also when it was already decided), or it is your own request.' },
  },
});
