import { Injectable } from '@nestjs/common';
import { decodeCursor, olderThan, pageOf } from '@bitro/db';
import { ProblemException } from '@bitro/http';
import type { z } from 'zod';
import { GiftcardPrisma } from '../../persistence/giftcard-prisma';
import type { listRedemptionsQuerySchema, RedemptionView } from './redemptions.contracts';
import { toRedemptionView } from './redemption-view';

const notFound = () => new ProblemException(404, 'redemption-not-found', 'You have no redemption with this id.');

/** GET /v1/giftcards/redemptions and /:id: a user's own redemptions. */
@Injectable()
export class RedemptionHistory {
  constructor(private readonly prisma: GiftcardPrisma) {}

  async get(userId: string, id: string): Promise<RedemptionView> {
    const redemption = await this.prisma.redemption.findFirst({ where: { id, userId } });
    if (!redemption) throw notFound();
    return toRedemptionView(redemption);
  }

  /** Newest first; the cursor (checked by the route contract) is the (createdAt, id) of the last item of the previous page. */
  async list(userId: string, query: z.output<typeof listRedemptionsQuerySchema>): Promise<{ items: RedemptionView[]; nextCursor: string | null }> {
    const rows = await this.prisma.redemption.findMany({
      where: { userId, ...olderThan('createdAt', query.cursor === undefined ? null : decodeCursor(query.cursor)) },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: query.limit + 1,
    });
    const page = pageOf(rows, query.limit, (redemption) => redemption);
    return { items: page.items.map(toRedemptionView), nextCursor: page.nextCursor };
  }
}
