import { Inject, Injectable } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import { advisoryXactLock, queryNamed, type SqlExecutor } from '@bitro/messaging';
import { isoDay, type Redemption } from '../../persistence/giftcard-prisma';

// Raw rather than the ORM's aggregate: it runs in every approval (ADR 0031).
const DAY_UNDER_REVIEW = {
  name: 'giftcard.day-under-review',
  text: `SELECT COALESCE(SUM(face_value_krw), 0)::text AS krw FROM "giftcard"."redemptions"
    WHERE user_id = $1::uuid AND limit_day = $2::date AND state IN ('verified', 'credited', 'flagged') AND id <> $3::uuid`,
};

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
  async holds(tx: SqlExecutor, redemption: Redemption, faceValueKrw: bigint): Promise<boolean> {
    await advisoryXactLock(tx, `giftcard.daily-review:${redemption.userId}`);
    const [row] = await queryNamed<{ krw: string }>(tx, DAY_UNDER_REVIEW, [redemption.userId, isoDay(redemption.limitDay), redemption.id]);
    return BigInt(row?.krw ?? '0') + faceValueKrw > this.thresholdKrw;
  }
}
