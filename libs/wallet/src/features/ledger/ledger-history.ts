import { Injectable } from '@nestjs/common';
import type { WalletBalance } from '@bitro/service-api';
import { batchedReads, decodeCursor, olderThan, pageOf } from '@bitro/db';
import { type Prisma, WalletPrisma } from '../../persistence/wallet-prisma';
import type { HistoryPage, HistoryQuery } from './ledger-entry';
import { WalletInputError } from './ledger.errors';
import { parseUserId, toLedgerEntry } from './ledger.service';

export const HISTORY_DEFAULT_LIMIT = 20;
export const HISTORY_MAX_LIMIT = 100;

// BIGINT comes back from pg as a decimal string, read exactly with BigInt.
const USERS_BALANCES = {
  name: 'wallet.users-balances',
  text: `SELECT user_id::text AS "userId", kind::text, balance::text FROM "wallet".accounts
         WHERE user_id = ANY($1::uuid[]) AND kind IN ('user_available', 'user_held')`,
};
type BalanceRow = { userId: string; kind: string; balance: string };

/** What a user sees of the ledger: balances and journal history. */
@Injectable()
export class LedgerHistory {
  /** A user's accounts by user id: the balances read in one turn of the event loop share a statement (ADR 0044). */
  private readonly accountsOf: (userId: string) => Promise<BalanceRow[] | undefined>;

  constructor(private readonly prisma: WalletPrisma) {
    // A named statement on the pool: the ORM cost more CPU than the lookup itself on this hot read (ADR 0027).
    this.accountsOf = batchedReads(async (userIds) => {
      const { rows } = await prisma.pool.query<BalanceRow>({ ...USERS_BALANCES, values: [userIds] });
      const byUser = new Map<string, BalanceRow[]>();
      for (const row of rows) byUser.set(row.userId, [...(byUser.get(row.userId) ?? []), row]);
      return byUser;
    });
  }

  async balance(userId: string): Promise<WalletBalance> {
    const id = parseUserId(userId);
    const accounts = (await this.accountsOf(id.toLowerCase())) ?? [];
    const balanceOf = (kind: string) => BigInt(accounts.find((account) => account.kind === kind)?.balance ?? 0);
    return { userId: id, availableSats: balanceOf('user_available'), heldSats: balanceOf('user_held') };
  }

  /** Newest first; `from` is inclusive, `to` exclusive. */
  async history(userId: string, query: HistoryQuery = {}): Promise<HistoryPage> {
    const limit = query.limit ?? HISTORY_DEFAULT_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > HISTORY_MAX_LIMIT) throw new WalletInputError(`limit must be 1..${HISTORY_MAX_LIMIT}`);
    const after = query.cursor === undefined ? null : decodeCursor(query.cursor);
    if (query.cursor !== undefined && !after) throw new WalletInputError('Not a history cursor');

    const where: Prisma.JournalWhereInput = {
      userId: parseUserId(userId),
      kind: query.kind,
      createdAt: { gte: query.from, lt: query.to },
      ...olderThan('createdAt', after),
    };
    const journals = await this.prisma.journal.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit + 1 });
    const page = pageOf(journals, limit, (journal) => journal);
    return { items: page.items.map(toLedgerEntry), nextCursor: page.nextCursor };
  }
}
