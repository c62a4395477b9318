import { Inject, Injectable } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import { advisoryXactLock, type SqlExecutor } from '@bitro/messaging';

/**
 * Whether the redemption (`id`, of `userId`, on its Asia/Seoul day `day`) with this face value must wait for review: a
 * boolean SQL expression over the five parameters named.
 */
export const flaggedSql = (id: string, userId: string, day: string, faceValueKrw: string, thresholdKrw: string): string =>
  `(SELECT COALESCE(SUM(face_value_krw), 0) FROM "giftcard"."redemptions"
     WHERE user_id = ${userId}::uuid AND limit_day = ${day}::date AND state IN ('verified', 'credited', 'flagged') AND id <> ${id}::uuid)
   + ${faceValueKrw}::bigint > ${thresholdKrw}::bigint`;

/**
 * The review rule (ADR "flagged redemptions"): a redemption whose card the issuer has used up is held for an admin
 * when the user's face value on its Asia/Seoul day (`limit_day`), all brands, verified, credited or flagged, this
 * card included, exceeds REDEMPTION_REVIEW_DAILY_KRW.
 */
@Injectable()
export class DailyReview {
  readonly thresholdKrw: bigint;

  constructor(@Inject(BITRO_ENV) env: BitroEnv) {
    this.thresholdKrw = env.REDEMPTION_REVIEW_DAILY_KRW;
  }

  /**
   * Serialises the user's review decisions: call it in the transaction that moves a redemption out of `pending`, then
   * decide with {@link flaggedSql} in a later statement of it (its snapshot is taken after the lock was granted), so two
   * concurrent cards cannot each see the day without the other.
   */
  lock(tx: SqlExecutor, userId: string): Promise<void> {
    return advisoryXactLock(tx, `giftcard.daily-review:${userId}`);
  }
}
