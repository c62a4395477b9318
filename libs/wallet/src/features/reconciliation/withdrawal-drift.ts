import { Injectable } from '@nestjs/common';
import type { DriftList } from '@bitro/service-api';
import { Prisma, WalletPrisma } from '../../persistence/wallet-prisma';
import { type DriftRow, toDriftList } from './drift-query';

/**
 * Withdrawals whose hold, settlement and release (`withdrawal:<id>:hold|settle|release`) do not match their status:
 * awaiting approval, requested or broadcast → the hold of amount + maxFee is open (nothing settled or released);
 * confirmed → amount + fee settled and the rest (maxFee − fee) released, if any; failed or rejected → the whole hold
 * released, nothing settled. Open withdrawals are always checked (status index), settled ones when they changed since
 * `since` (updated_at index).
 */
@Injectable()
export class WithdrawalDrift {
  constructor(private readonly prisma: WalletPrisma) {}

  async find(input: { since: Date | null; limit: number }): Promise<DriftList> {
    const window = input.since ? Prisma.sql`WHERE status IN ('awaiting_approval', 'requested', 'broadcast') OR updated_at >= ${input.since}` : Prisma.empty;
    const rows = await this.prisma.$queryRaw<DriftRow[]>`
      WITH withdrawal AS (
        SELECT id, status::text AS status, amount_sats, max_fee_sats, fee_sats, 'withdrawal:' || id || ':' AS ref
        FROM "wallet"."withdrawals" ${window}
      ), probed AS (
        SELECT w.*, h.kind::text AS hold_kind, h.amount_sats AS hold_sats, s.amount_sats AS settle_sats, r.amount_sats AS release_sats,
          (SELECT count(*) FROM "wallet"."journals" c
            WHERE c.hold_reference = w.ref || 'hold' AND c.reference NOT IN (w.ref || 'settle', w.ref || 'release')) AS other_closings
        FROM withdrawal w
        LEFT JOIN "wallet"."journals" h ON h.reference = w.ref || 'hold'
        LEFT JOIN "wallet"."journals" s ON s.reference = w.ref || 'settle'
        LEFT JOIN "wallet"."journals" r ON r.reference = w.ref || 'release'
      ), checked AS (
        SELECT id::text AS id, CASE
          WHEN hold_kind IS NULL THEN status || ' but no hold journal ' || ref || 'hold'
          WHEN hold_kind <> 'hold' OR hold_sats <> amount_sats + max_fee_sats
            THEN 'hold of ' || hold_sats || ' sats, expected amount + maxFee = ' || (amount_sats + max_fee_sats)
          WHEN other_closings > 0 THEN 'its hold is closed by ' || other_closings || ' journal(s) other than its settle and release'
          WHEN status IN ('awaiting_approval', 'requested', 'broadcast') AND (settle_sats IS NOT NULL OR release_sats IS NOT NULL)
            THEN status || ' but its hold is ' || CASE WHEN settle_sats IS NOT NULL THEN 'settled' ELSE 'released' END || ' (should stay open)'
          WHEN status = 'confirmed' AND (settle_sats IS NULL OR fee_sats IS NULL) THEN 'confirmed but not settled'
          WHEN status = 'confirmed' AND settle_sats <> amount_sats + fee_sats
            THEN 'confirmed: settled ' || settle_sats || ' sats, expected amount + fee = ' || (amount_sats + fee_sats)
          WHEN status = 'confirmed' AND COALESCE(release_sats, 0) <> max_fee_sats - fee_sats
            THEN 'confirmed: released ' || COALESCE(release_sats, 0) || ' sats of the fee reserve, expected maxFee - fee = ' || (max_fee_sats - fee_sats)
          WHEN status IN ('failed', 'rejected') AND settle_sats IS NOT NULL THEN status || ' but ' || settle_sats || ' sats were settled'
          WHEN status IN ('failed', 'rejected') AND COALESCE(release_sats, 0) <> hold_sats
            THEN status || ': released ' || COALESCE(release_sats, 0) || ' sats of its hold of ' || hold_sats
        END AS reason
        FROM probed
      )
      SELECT id, reason, count(*) OVER () AS total FROM checked WHERE reason IS NOT NULL ORDER BY id LIMIT ${input.limit}`;
    return toDriftList(rows);
  }
}
