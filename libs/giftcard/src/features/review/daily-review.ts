import { Inject, Injectable } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import { type GiftcardTx, isoDay, type Redemption } from '../../persistence/giftcard-prisma';

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
    // Raw rather than the ORM's aggregate: it runs in every approval (ADR 0031).
    const [row] = await tx.$queryRaw<Array<{ krw: string }>>`
      SELECT COALESCE(SUM(face_value_krw), 0)::text AS krw FROM "giftcard"."redemptions"
      WHERE user_id = ${redemption.userId}::uuid AND limit_day = ${isoDay(redemption.limitDay)}::date
        AND state IN ('verified', 'credited', 'flagged') AND id <> ${redemption.id}::uuid`;
    return BigInt(row?.krw ?? '0') + faceValueKrw > this.thresholdKrw;
  }
}
