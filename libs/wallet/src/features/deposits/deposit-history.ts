import { Injectable } from '@nestjs/common';
import { decodeCursor, olderThan, pageOf } from '@bitro/db';
import { WalletPrisma } from '../../persistence/wallet-prisma';
import type { DepositView } from './deposits.contracts';
import { toDepositView } from './deposit-view';

/** A user's deposits, newest (first seen) first. */
@Injectable()
export class DepositHistory {
  constructor(private readonly prisma: WalletPrisma) {}

  async list(userId: string, query: { limit: number; cursor?: string }): Promise<{ items: DepositView[]; nextCursor: string | null }> {
    const after = query.cursor === undefined ? null : decodeCursor(query.cursor);
    const deposits = await this.prisma.deposit.findMany({
      where: { userId, ...olderThan('detectedAt', after) },
      orderBy: [{ detectedAt: 'desc' }, { id: 'desc' }],
      take: query.limit + 1,
    });
    const page = pageOf(deposits, query.limit, (deposit) => ({ createdAt: deposit.detectedAt, id: deposit.id }));
    return { items: page.items.map(toDepositView), nextCursor: page.nextCursor };
  }
}
