import { Inject, Injectable } from '@nestjs/common';
import { decodeCursor, olderThan, pageOf } from '@bitro/db';
import { Outbox } from '@bitro/messaging';
import { AUDIT_API, type AuditApi, OwnRequestReviewError, redemptionRejectedV1, USER_API, type UserApi } from '@bitro/service-api';
import { GiftcardPrisma, type GiftcardTx, type Redemption } from '../../persistence/giftcard-prisma';
import { RedemptionApprovedPublisher } from '../redemptions/redemption-approved.publisher';
import { redemptionsMoved } from '../redemptions/redemption-counters';
import {
  type ApproveRedemptionInput,
  approveRedemptionInputSchema,
  type FlaggedRedemptionPage,
  type FlaggedRedemptionView,
  type ListFlaggedInput,
  listFlaggedInputSchema,
  type RejectRedemptionInput,
  rejectRedemptionInputSchema,
  type ReviewedRedemption,
} from './review.contracts';
import { RedemptionNotFlaggedError, RedemptionNotFoundError } from './redemption-review.errors';

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
 * Review of flagged redemptions (over the daily review amount), for the admin routes, which check the role. A decision
 * locks the row, changes its state, appends the event the processor would have and records the admin action, all in
 * one transaction.
 */
@Injectable()
export class RedemptionReview {
  constructor(
    private readonly prisma: GiftcardPrisma,
    private readonly outbox: Outbox,
    private readonly approvals: RedemptionApprovedPublisher,
    @Inject(AUDIT_API) private readonly audit: AuditApi,
    @Inject(USER_API) private readonly users: UserApi,
  ) {}

  /** Flagged redemptions, newest first. */
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

  /**
   * Approves a flagged redemption: it becomes `verified` and the wallet credits the stored quote, as it was: the card
   * was used up at that price. Throws {@link RedemptionNotFoundError}, {@link RedemptionNotFlaggedError} (also for a
   * repeat), `OwnRequestReviewError` for the admin's own redemption and `UserNotActiveError` when the user is frozen.
   */
  async approve(input: ApproveRedemptionInput): Promise<ReviewedRedemption> {
    const { redemptionId, actorId } = approveRedemptionInputSchema.parse(input);
    return this.decide(redemptionId, async (tx, redemption) => {
      if (redemption.userId === actorId.toLowerCase()) throw new OwnRequestReviewError(`redemption:${redemptionId}`);
      // Throws UserNotActiveError: a frozen user's card is not credited (it may still be rejected).
      await this.users.assertActive(redemption.userId);
      await tx.redemption.update({ where: { id: redemptionId }, data: { state: 'verified' } });
      await this.approvals.publish(tx, redemption, quoteOf(redemption));
      await this.audit.record(tx, {
        action: 'redemption.approve',
        actorId,
        subject: `redemption:${redemptionId}`,
        details: { userId: redemption.userId, faceValueKrw: amount(redemption.faceValueKrw), amountSats: amount(redemption.amountSats) },
      });
      return 'verified';
    });
  }

  /**
   * Rejects a flagged redemption (`rejected-in-review`); the user is told. The PIN stays taken (the issuer used the
   * card up), so the same card cannot be submitted again. Throws as {@link approve}, a frozen user aside.
   */
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
    decision: (tx: GiftcardTx, redemption: Redemption) => Promise<ReviewedRedemption['state']>,
  ): Promise<ReviewedRedemption> {
    return this.prisma.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM "giftcard"."redemptions" WHERE id = ${redemptionId}::uuid FOR UPDATE`;
      if (locked.length === 0) throw new RedemptionNotFoundError(redemptionId);
      const redemption = await tx.redemption.findUniqueOrThrow({ where: { id: redemptionId } });
      if (redemption.state !== 'flagged') throw new RedemptionNotFlaggedError(redemptionId, redemption.state);
      return { id: redemptionId, userId: redemption.userId, state: await decision(tx, redemption) };
    }).then((reviewed) => {
      redemptionsMoved.inc({ state: reviewed.state === 'verified' ? 'approved' : 'rejected' });
      return reviewed;
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
