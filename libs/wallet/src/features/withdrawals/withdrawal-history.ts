import { Injectable } from '@nestjs/common';
import { ProblemException } from '@bitro/http';
import { decodeCursor, olderThan, pageOf } from '@bitro/db';
import { WalletPrisma } from '../../persistence/wallet-prisma';
import { toWithdrawalView } from './withdrawal-view';
import type { WithdrawalView } from './withdrawals.contracts';

/** What a user sees of their withdrawals. */
@Injectable()
export class WithdrawalHistory {
  constructor(private readonly prisma: WalletPrisma) {}

  async get(userId: string, id: string): Promise<WithdrawalView> {
    const withdrawal = await this.prisma.withdrawal.findFirst({ where: { id, userId } });
    if (!withdrawal) throw new ProblemException(404, 'withdrawal-not-found', 'You have no withdrawal with this id.');
    return toWithdrawalView(withdrawal);
  }

  /** Newest first. */
  async list(userId: string, query: { limit: number; cursor?: string }): Promise<{ items: WithdrawalView[]; nextCursor: string | null }> {
    const after = query.cursor === undefined ? null : decodeCursor(query.cursor);
    const withdrawals = await this.prisma.withdrawal.findMany({
      where: { userId, ...olderThan('createdAt', after) },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: query.limit + 1,
    });
    const page = pageOf(withdrawals, query.limit, (withdrawal) => withdrawal);
    return { items: page.items.map(toWithdrawalView), nextCursor: page.nextCursor };
  }
}
