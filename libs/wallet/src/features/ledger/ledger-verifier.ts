import { Injectable } from '@nestjs/common';
import type { LedgerReport } from '@bitro/service-api';
import { WalletPrisma } from '../../persistence/wallet-prisma';

/** Checks the ledger's invariants over one consistent snapshot (`ledger:verify`). */
@Injectable()
export class LedgerVerifier {
  constructor(private readonly prisma: WalletPrisma) {}

  verifyLedger(): Promise<LedgerReport> {
    return this.prisma.transaction(
      async (tx) => {
        const [counts] = await tx.$queryRaw<Array<{ journals: bigint; postings: bigint; accounts: bigint }>>`
          SELECT (SELECT count(*) FROM "wallet"."journals") AS journals,
                 (SELECT count(*) FROM "wallet"."postings") AS postings,
                 (SELECT count(*) FROM "wallet"."accounts") AS accounts`;
        const unbalancedJournals = await tx.$queryRaw<LedgerReport['unbalancedJournals']>`
          SELECT j.id AS "journalId", COALESCE(sum(p.amount_sats), 0)::bigint AS sum
          FROM "wallet"."journals" j LEFT JOIN "wallet"."postings" p ON p.journal_id = j.id
          GROUP BY j.id HAVING COALESCE(sum(p.amount_sats), 0) <> 0
          ORDER BY j.id`;
        const balanceMismatches = await tx.$queryRaw<LedgerReport['balanceMismatches']>`
          SELECT a.id AS "accountId", a.balance AS cached, COALESCE(sum(p.amount_sats), 0)::bigint AS computed
          FROM "wallet"."accounts" a LEFT JOIN "wallet"."postings" p ON p.account_id = a.id
          GROUP BY a.id HAVING a.balance <> COALESCE(sum(p.amount_sats), 0)
          ORDER BY a.id`;
        const negativeUserAccounts = await tx.$queryRaw<LedgerReport['negativeUserAccounts']>`
          SELECT id AS "accountId", balance FROM "wallet"."accounts"
          WHERE kind IN ('user_available', 'user_held') AND balance < 0
          ORDER BY id`;
        return {
          journals: Number(counts?.journals ?? 0),
          postings: Number(counts?.postings ?? 0),
          accounts: Number(counts?.accounts ?? 0),
          unbalancedJournals,
          balanceMismatches,
          negativeUserAccounts,
          ok: unbalancedJournals.length === 0 && balanceMismatches.length === 0 && negativeUserAccounts.length === 0,
        };
      },
      { isolationLevel: 'RepeatableRead' },
    );
  }
}
