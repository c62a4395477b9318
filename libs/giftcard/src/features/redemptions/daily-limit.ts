import { Injectable } from '@nestjs/common';
import { advisoryXactLock, queryNamed, type SqlExecutor } from '@bitro/messaging';
import { type Brand, GiftcardPrisma, isoDay, type Redemption } from '../../persistence/giftcard-prisma';

export interface DailyLimitBreach {
  usedKrw: bigint;
  limitKrw: bigint;
  faceValueKrw: bigint;
}

const SEOUL_OFFSET_MS = 9 * 3600_000; // Korea keeps no daylight saving time.
const DAY_MS = 86_400_000;

/** The face value of the user's redemptions of the brand counted against today (Asia/Seoul), as `krw`: SQL over two parameters. */
export const usedTodaySql = (userId: string, brand: string): string =>
  `SELECT COALESCE(SUM(face_value_krw), 0) AS krw FROM "giftcard"."redemptions"
    WHERE user_id = ${userId}::uuid AND brand = ${brand} AND state <> 'rejected' AND limit_day = (now() AT TIME ZONE 'Asia/Seoul')::date`;

const USED_TODAY = {
  name: 'giftcard.used-today',
  text: `SELECT (SELECT krw::text FROM (${usedTodaySql('$1', '$2')}) used) AS used,
      EXISTS (SELECT 1 FROM "giftcard"."redemptions" WHERE pin_hash = $3) AS pin_taken`,
};

// The sum and the reservation if it fits, in one statement (its snapshot taken after the lock was granted);
// PostgreSQL runs the UPDATE in WITH whether or not the SELECT reads it.
const RESERVE = {
  name: 'giftcard.daily-limit-reserve',
  text: `WITH used AS (
      SELECT COALESCE(SUM(face_value_krw), 0) AS krw FROM "giftcard"."redemptions"
      WHERE user_id = $1::uuid AND brand = $2 AND limit_day = $3::date AND state <> 'rejected' AND id <> $4::uuid),
    reserved AS (
      UPDATE "giftcard"."redemptions" SET face_value_krw = $5::bigint, updated_at = now() FROM used
      WHERE id = $4::uuid AND state = 'pending' AND used.krw + $5::bigint <= $6::bigint
      RETURNING 1)
    SELECT krw::text AS used FROM used`,
};

/** Seconds until the Asia/Seoul day ends, when every daily limit starts afresh. */
export const secondsUntilSeoulMidnight = (now = Date.now()): number =>
  Math.max(1, Math.ceil((DAY_MS - ((now + SEOUL_OFFSET_MS) % DAY_MS)) / 1000));

/**
 * The per-user, per-brand daily limit on face value. A redemption counts against the Asia/Seoul day it
 * was submitted on (`limit_day`) from the moment its face value is known, unless it is rejected.
 */
@Injectable()
export class DailyLimit {
  constructor(private readonly prisma: GiftcardPrisma) {}

  /**
   * Face value of the user's redemptions of this brand counted against today, and whether a redemption holds the PIN
   * of `pinHash` already: the two checks of a new request, in one round trip.
   */
  async usedToday(userId: string, brand: string, pinHash: string): Promise<{ usedKrw: bigint; pinTaken: boolean }> {
    const { rows } = await this.prisma.pool.query<{ used: string; pin_taken: boolean }>({ ...USED_TODAY, values: [userId, brand, pinHash] });
    return { usedKrw: BigInt(rows[0]?.used ?? '0'), pinTaken: rows[0]?.pin_taken ?? false };
  }

  /**
   * Counts a verified face value against the redemption's day, or reports the breach. The user's
   * redemptions of the brand are serialised by an advisory lock, so concurrent ones cannot both fit
   * into the same remaining allowance.
   */
  async reserve(tx: SqlExecutor, redemption: Redemption, brand: Brand, faceValueKrw: bigint): Promise<DailyLimitBreach | null> {
    await advisoryXactLock(tx, `giftcard.daily-limit:${redemption.userId}:${brand.code}`);
    const [row] = await queryNamed<{ used: string }>(tx, RESERVE, [redemption.userId, brand.code, isoDay(redemption.limitDay), redemption.id, faceValueKrw, brand.dailyLimitKrw]);
    const usedKrw = BigInt(row?.used ?? '0');
    if (usedKrw + faceValueKrw > brand.dailyLimitKrw) return { usedKrw, limitKrw: brand.dailyLimitKrw, faceValueKrw };
    return null;
  }
}
