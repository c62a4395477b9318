import { Injectable } from '@nestjs/common';
import type { ReconciliationPageQuery, RedemptionCreditJournal } from '@bitro/service-api';
import { Prisma, WalletPrisma } from '../../persistence/wallet-prisma';
import { REDEMPTION_CREDIT_PREFIX as PREFIX } from '../redemption-credit/redemption-crediting';
const COLUMNS = Prisma.sql`substr(reference, ${PREFIX.length + 1}) AS "redemptionId", id::text AS "journalId", user_id::text AS "userId",
  amount_sats AS "amountSats", created_at AS "createdAt"`;

/** The credit journals of gift-card redemptions (reference `redemption:<id>`, see RedemptionCrediting). */
@Injectable()
export class RedemptionCreditJournals {
  constructor(private readonly prisma: WalletPrisma) {}

  /** Posted in the window, oldest first (the `(kind, created_at)` index). */
  page(query: ReconciliationPageQuery): Promise<RedemptionCreditJournal[]> {
    const { since, until, after, limit } = query;
    return this.prisma.$queryRaw<RedemptionCreditJournal[]>`
      SELECT ${COLUMNS} FROM "wallet"."journals"
      WHERE kind = 'credit' AND starts_with(reference, ${PREFIX}) AND created_at < ${until}
        ${since ? Prisma.sql`AND created_at >= ${since}` : Prisma.empty}
        ${after ? Prisma.sql`AND (created_at, id) > (${after.at}, ${after.id}::uuid)` : Prisma.empty}
      ORDER BY created_at, id LIMIT ${limit}`;
  }

  /** By reference (unique index); a redemption has at most one. */
  find(redemptionIds: readonly string[]): Promise<RedemptionCreditJournal[]> {
    if (redemptionIds.length === 0) return Promise.resolve([]);
    const references = redemptionIds.map((id) => `${PREFIX}${id}`);
    return this.prisma.$queryRaw<RedemptionCreditJournal[]>`SELECT ${COLUMNS} FROM "wallet"."journals" WHERE reference = ANY(${references}::text[])`;
  }
}
