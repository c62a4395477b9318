import { Injectable } from '@nestjs/common';
import type { GiftcardReconciliationApi, ReconciledRedemption, ReconciliationPageQuery } from '@bitro/service-api';
import { GiftcardPrisma, Prisma } from '../persistence/giftcard-prisma';

interface RedemptionRow {
  id: string;
  userId: string;
  state: ReconciledRedemption['state'];
  amountSats: bigint | null;
  walletJournalId: string | null;
  changedAt: Date;
}

const COLUMNS = Prisma.sql`id::text AS id, user_id::text AS "userId", state::text AS state, amount_sats AS "amountSats",
  wallet_journal_id::text AS "walletJournalId", updated_at AS "changedAt"`;

/**
 * GIFTCARD_RECONCILIATION_API: the redemptions reconciliation compares with the wallet's credits, read with the
 * `(state, updated_at)` index. A redemption's `updated_at` moves at each change of state and never while it is
 * `verified` or `credited` otherwise, so for those it is the time of approval and of the credit.
 */
@Injectable()
export class GiftcardReconciliationApiService implements GiftcardReconciliationApi {
  constructor(private readonly prisma: GiftcardPrisma) {}

  async uncredited(input: { approvedBefore: Date; limit: number }): Promise<{ count: number; items: ReconciledRedemption[] }> {
    const rows = await this.prisma.$queryRaw<Array<RedemptionRow & { total: bigint }>>`
      SELECT ${COLUMNS}, count(*) OVER () AS total FROM "giftcard"."redemptions"
      WHERE state = 'verified' AND updated_at < ${input.approvedBefore}
      ORDER BY updated_at, id LIMIT ${input.limit}`;
    return { count: Number(rows[0]?.total ?? 0), items: rows.map(({ total: _, ...row }) => row) };
  }

  credited(query: ReconciliationPageQuery): Promise<ReconciledRedemption[]> {
    const { since, until, after, limit } = query;
    return this.prisma.$queryRaw<RedemptionRow[]>`
      SELECT ${COLUMNS} FROM "giftcard"."redemptions"
      WHERE state = 'credited' AND updated_at < ${until}
        ${since ? Prisma.sql`AND updated_at >= ${since}` : Prisma.empty}
        ${after ? Prisma.sql`AND (updated_at, id) > (${after.at}, ${after.id}::uuid)` : Prisma.empty}
      ORDER BY updated_at, id LIMIT ${limit}`;
  }

  find(ids: readonly string[]): Promise<ReconciledRedemption[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.prisma.$queryRaw<RedemptionRow[]>`SELECT ${COLUMNS} FROM "giftcard"."redemptions" WHERE id = ANY(${[...ids]}::uuid[])`;
  }
}
