import { Inject, Injectable } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import type { GiftcardTx, Redemption } from '../../persistence/giftcard-prisma';

/**
 * The review rule (ADR "flagged redemptions"): a redemption whose card the issuer has used up is held for an admin
 * when the user's face value on its Asia/Seoul day (`limit_day`), all brands, verified, credited or flagged, this
 * card included, exceeds REDEMPTION_REVIEW_DAILY_KRW.
 */
@Injectable()
export class DailyReview {
  private readonly thresholdKrw: bigint;

  constructor(@Inject(BITRO_ENV) env: BitroEnv) {
    this.thresholdKrw = env.REDEMPTION_REVIEW_DAILY_KRW;
  }

  /**
   * Whether this redemption must wait for review. Call it in the transaction that moves the redemption out of
   * `pending`: the user's decisions are serialised by an advisory lock, so two concurrent cards cannot each see the
   * day without the other.
   */
  async holds(tx: GiftcardTx, redemption: Redemption, faceValueKrw: bigint): Promise<boolean> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`giftcard.daily-review:${redemption.userId}`}, 0))`;
    const { _sum } = await tx.redemption.aggregate({
      _sum: { faceValueKrw: true },
      where: { userId: redemption.userId, limitDay: redemption.limitDay, state: { in: ['verified', 'credited', 'flagged'] }, id: { not: redemption.id } },
    });
    return (_sum.faceValueKrw ?? 0n) + faceValueKrw > this.thresholdKrw;
  }
}
