import { Injectable } from '@nestjs/common';
import type { IdempotencyRecord, IdempotencyScope, IdempotencyStore, StoredAnswer } from '@bitro/idempotency';
import { GiftcardPrisma, type GiftcardTx, Prisma } from './giftcard-prisma';

/**
 * The Idempotency-Keys of POST /v1/giftcards/redemptions (`idempotency_keys`, one row per user and key), the store
 * `runIdempotently` of @bitro/idempotency works on; the owner of a key is the user. A redemption created under a key
 * is linked to it (`attach`), so that a retry after its request died is answered from that redemption.
 */
@Injectable()
export class IdempotencyKeys implements IdempotencyStore {
  constructor(private readonly prisma: GiftcardPrisma) {}

  async claim({ owner, key }: IdempotencyScope, fingerprint: string): Promise<boolean> {
    const inserted = await this.prisma.idempotencyKey.createMany({ data: [{ userId: owner, key, requestHash: fingerprint }], skipDuplicates: true });
    return inserted.count === 1;
  }

  async find({ owner, key }: IdempotencyScope): Promise<IdempotencyRecord | null> {
    const row = await this.prisma.idempotencyKey.findUnique({ where: { userId_key: { userId: owner, key } } });
    if (!row) return null;
    const answer = row.responseStatus === null ? null : (row.responseBody as unknown as StoredAnswer);
    return { fingerprint: row.requestHash, answer, claimedAt: row.claimedAt, resourceId: row.redemptionId };
  }

  async takeOver({ owner, key }: IdempotencyScope, claimedAt: Date): Promise<boolean> {
    const { count } = await this.prisma.idempotencyKey.updateMany({ where: { userId: owner, key, claimedAt, responseStatus: null }, data: { claimedAt: new Date() } });
    return count === 1;
  }

  async complete({ owner, key }: IdempotencyScope, answer: StoredAnswer): Promise<void> {
    await this.prisma.idempotencyKey.update({
      where: { userId_key: { userId: owner, key } },
      data: { responseStatus: answer.status, responseBody: answer as unknown as Prisma.InputJsonValue, completedAt: new Date() },
    });
  }

  async release({ owner, key }: IdempotencyScope): Promise<void> {
    await this.prisma.idempotencyKey.deleteMany({ where: { userId: owner, key, redemptionId: null, responseStatus: null } });
  }

  /** Links the redemption created under a key to it, inside the transaction that creates it. */
  async attach(tx: GiftcardTx, { owner, key }: IdempotencyScope, redemptionId: string): Promise<void> {
    await tx.idempotencyKey.update({ where: { userId_key: { userId: owner, key } }, data: { redemptionId } });
  }

  /** Deletes up to `limit` keys created before `before`, oldest first; answers how many. */
  deleteCreatedBefore(before: Date, limit: number): Promise<number> {
    return this.prisma.$executeRaw`
      DELETE FROM "giftcard"."idempotency_keys" WHERE (user_id, key) IN (
        SELECT user_id, key FROM "giftcard"."idempotency_keys" WHERE created_at < ${before}
        ORDER BY created_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)`;
  }
}
