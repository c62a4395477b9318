import { Injectable } from '@nestjs/common';
import { type Brand, GiftcardPrisma, type GiftcardTx, type Redemption } from '../../persistence/giftcard-prisma';

export interface DailyLimitBreach {
  usedKrw: bigint;
  limitKrw: bigint;
  faceValueKrw: bigint;
}

const SEOUL_OFFSET_MS = 9 * 3600_000; // Korea keeps no daylight saving time.
const DAY_MS = 86_400_000;

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

  /** Face value of the user's redemptions of this brand counted against today. */
  async usedToday(userId: string, brand: string): Promise<bigint> {
    const [row] = await this.prisma.$queryRaw<Array<{ used: string }>>`
      SELECT COALESCE(SUM(face_value_krw), 0)::text AS used FROM "giftcard"."redemptions"
      WHERE user_id = ${userId}::uuid AND brand = ${brand} AND state <> 'rejected'
        AND limit_day = (now() AT TIME ZONE 'Asia/Seoul')::date`;
    return BigInt(row?.used ?? '0');
  }

  /**
   * Counts a verified face value against the redemption's day, or reports the breach. The user's
   * redemptions of the brand are serialised by an advisory lock, so concurrent ones cannot both fit
   * into the same remaining allowance.
   */
  async reserve(tx: GiftcardTx, redemption: Redemption, brand: Brand, faceValueKrw: bigint): Promise<DailyLimitBreach | null> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`giftcard.daily-limit:${redemption.userId}:${brand.code}`}, 0))`;
    const { _sum } = await tx.redemption.aggregate({
      _sum: { faceValueKrw: true },
      where: { userId: redemption.userId, brandCode: brand.code, limitDay: redemption.limitDay, state: { not: 'rejected' }, id: { not: redemption.id } },
    });
    const usedKrw = _sum.faceValueKrw ?? 0n;
    if (usedKrw + faceValueKrw > brand.dailyLimitKrw) return { usedKrw, limitKrw: brand.dailyLimitKrw, faceValueKrw };
    await tx.redemption.updateMany({ where: { id: redemption.id, state: 'pending' }, data: { faceValueKrw } });
    return null;
  }
}
