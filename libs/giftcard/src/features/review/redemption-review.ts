import { Inject, Injectable } from '@nestjs/common';
import { decodeCursor, olderThan, pageOf } from '@bitro/db';
import { Outbox } from '@bitro/messaging';
import {
  type ApproveRedemptionInput,
  approveRedemptionInputSchema,
  AUDIT_API,
  type AuditApi,
  type FlaggedRedemptionPage,
  type FlaggedRedemptionView,
  type GiftcardAdminApi,
  OwnRequestReviewError,
  type ListFlaggedInput,
  listFlaggedInputSchema,
  redemptionApprovedV1,
  RedemptionNotFlaggedError,
  RedemptionNotFoundError,
  redemptionRejectedV1,
  type RejectRedemptionInput,
  rejectRedemptionInputSchema,
  type ReviewedRedemption,
  USER_API,
  type UserApi,
} from '@bitro/service-api';
import { GiftcardPrisma, type Prisma, type Redemption } from '../persistence/giftcard-prisma';
import { approvedPayload } from '../redemption/approved-event';

/** The rejection reason users see (and are notified of) when an admin rejects a flagged redemption. */
export const REJECTED_IN_REVIEW = 'rejected-in-review';

const amount = (value: bigint | null): string => (value ?? 0n).toString();

const toFlaggedView = (redemption: Redemption): FlaggedRedemptionView => ({
  id: redemption.id,
  userId: redemption.userId,
  brand: redemption.brandCode,
  faceValueKrw: amount(redemption.faceValueKrw),
  feeKrw: amount(redemption.feeKrw),
  priceKrwPerBtc: amount(redemption.priceKrwPerBtc),
  amountSats: amount(redemption.amountSats),
  createdAt: redemption.createdAt.toISOString(),
});

/**
 * Review of flagged redemptions, provided under `GIFTCARD_ADMIN_API`. A decision locks the row, changes its state,
 * appends the event the processor would have and records the admin action, all in one transaction.
 */
@Injectable()
export class RedemptionReviewService implements GiftcardAdminApi {
  constructor(
    private readonly prisma: GiftcardPrisma,
    private readonly outbox: Outbox,
    @Inject(AUDIT_API) private readonly audit: AuditApi,
    @Inject(USER_API) private readonly users: UserApi,
  ) {}

  async listFlagged(input: ListFlaggedInput): Promise<FlaggedRedemptionPage> {
    const { limit, cursor } = listFlaggedInputSchema.parse(input);
    const rows = await this.prisma.redemption.findMany({
      where: { state: 'flagged', ...olderThan('createdAt', cursor === undefined ? null : decodeCursor(cursor)) },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit + 1,
    });
    const page = pageOf(rows, limit, (redemption) => redemption);
    return { items: page.items.map(toFlaggedView), nextCursor: page.nextCursor };
  }

  /** The stored quote is credited as it was: the card was used up at that price. */
  async approve(input: ApproveRedemptionInput): Promise<ReviewedRedemption> {
    const { redemptionId, actorId } = approveRedemptionInputSchema.parse(input);
    return this.decide(redemptionId, async (tx, redemption) => {
      if (redemption.userId === actorId.toLowerCase()) throw new OwnRequestReviewError(`redemption:${redemptionId}`);
      // Throws UserNotActiveError: a frozen user's card is not credited (it may still be rejected).
      await this.users.assertActive(redemption.userId);
      await tx.redemption.update({ where: { id: redemptionId }, data: { state: 'verified' } });
      await this.outbox.append(tx, redemptionApprovedV1, approvedPayload(redemption, quoteOf(redemption)));
      await this.audit.record(tx, {
        action: 'redemption.approve',
        actorId,
        subject: `redemption:${redemptionId}`,
        details: { userId: redemption.userId, faceValueKrw: amount(redemption.faceValueKrw), amountSats: amount(redemption.amountSats) },
      });
      return 'verified';
    });
  }

  /** The PIN stays taken (the issuer used the card up), so the same card cannot be submitted again. */
  async reject(input: RejectRedemptionInput): Promise<ReviewedRedemption> {
    const { redemptionId, actorId, reason } = rejectRedemptionInputSchema.parse(input);
    return this.decide(redemptionId, async (tx, redemption) => {
      await tx.redemption.update({ where: { id: redemptionId }, data: { state: 'rejected', rejectionReason: REJECTED_IN_REVIEW } });
      await this.outbox.append(tx, redemptionRejectedV1, { redemptionId, userId: redemption.userId, reason: REJECTED_IN_REVIEW });
      await this.audit.record(tx, {
        action: 'redemption.reject',
        actorId,
        subject: `redemption:${redemptionId}`,
        details: { userId: redemption.userId, faceValueKrw: amount(redemption.faceValueKrw), reason },
      });
      return 'rejected';
    });
  }

  /** Locks the redemption and applies `decision` while it is flagged; a repeated or late decision finds it not flagged. */
  private decide(
    redemptionId: string,
    decision: (tx: Prisma.TransactionClient, redemption: Redemption) => Promise<ReviewedRedemption['state']>,
  ): Promise<ReviewedRedemption> {
    return this.prisma.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM "giftcard"."redemptions" WHERE id = ${redemptionId}::uuid FOR UPDATE`;
      if (locked.length === 0) throw new RedemptionNotFoundError(redemptionId);
      const redemption = await tx.redemption.findUniqueOrThrow({ where: { id: redemptionId } });
      if (redemption.state !== 'flagged') throw new RedemptionNotFlaggedError(redemptionId, redemption.state);
      return { id: redemptionId, userId: redemption.userId, state: await decision(tx, redemption) };
    });
  }
}

function quoteOf(redemption: Redemption) {
  const { faceValueKrw, feeKrw, priceKrwPerBtc, amountSats } = redemption;
  if (faceValueKrw === null || feeKrw === null || priceKrwPerBtc === null || amountSats === null) {
    throw new Error(`Flagged redemption ${redemption.id} has no stored quote`);
  }
  return { faceValueKrw, feeKrw, priceKrwPerBtc, amountSats };
}
