import { z } from 'zod';
import { amountString } from '../events/event-contract';

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
