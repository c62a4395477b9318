import { pageQueryShape } from '@bitro/db';
import { defineRoute } from '@bitro/http';
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
      schema: z.object({ items: z.array(flaggedRedemptionViewSchema), nextCursor: z.string().nullable() }),
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
  responses: { 200: { description: 'Approved: verified, the credit is on its way.', schema: z.object({ id: z.uuid(), userId: z.uuid(), state: z.literal('verified') }) } },
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
  responses: { 200: { description: 'Rejected.', schema: z.object({ id: z.uuid(), userId: z.uuid(), state: z.literal('rejected') }) } },
  problems: {
    404: { types: ['redemption-not-found'], description: 'No redemption has this id.' },
    409: { types: ['redemption-not-flagged', 'own-request'], description: 'The redemption is not flagged (also when it was already decided), or it is your own request.' },
  },
});
