import { Injectable } from '@nestjs/common';
import type { IdempotencyRecord, IdempotencyScope, IdempotencyStore, StoredAnswer } from '@bitro/idempotency';
import { Prisma, WalletPrisma, type WalletTx } from './wallet-prisma';

/** How a withdrawal without a key row (requested before `idempotency_keys`) shows its key: claimed long ago, unanswered. */
const LONG_AGO = new Date(0);

/**
 * The Idempotency-Keys of POST /v1/wallet/withdrawals, the store `runIdempotently` of @bitro/idempotency works on; the
 * owner of a key is the user. A key is a row of `idempotency_keys` and, once it created a withdrawal, that
 * withdrawal's `idempotency_key` too (kept for good, ADR 20). A withdrawal whose key has no row (requested before the
 * table) answers for it: `find` shows it as a claim long past with the withdrawal as its resource, so the retry takes
 * the key over (a row copied from the withdrawal) and is answered from the withdrawal.
 */
@Injectable()
export class IdempotencyKeys implements IdempotencyStore {
  constructor(private readonly prisma: WalletPrisma) {}

  /** Inserts the key, unless it has a row or a withdrawal already. */
  async claim({ owner, key }: IdempotencyScope, fingerprint: string): Promise<boolean> {
    const inserted = await this.prisma.$executeRaw`
      INSERT INTO "wallet"."idempotency_keys" (user_id, key, request_hash)
      SELECT ${owner}::uuid, ${key}, ${fingerprint}
      WHERE NOT EXISTS (SELECT 1 FROM "wallet"."withdrawals" WHERE user_id = ${owner}::uuid AND idempotency_key = ${key})
      ON CONFLICT DO NOTHING`;
    return inserted === 1;
  }

  async find({ owner, key }: IdempotencyScope): Promise<IdempotencyRecord | null> {
    const row = await this.prisma.idempotencyKey.findUnique({ where: { userId_key: { userId: owner, key } } });
    if (row) {
      const answer = row.responseStatus === null ? null : (row.responseBody as unknown as StoredAnswer);
      return { fingerprint: row.requestHash, answer, claimedAt: row.claimedAt, resourceId: row.withdrawalId };
    }
    const withdrawal = await this.prisma.withdrawal.findUnique({ where: { userId_idempotencyKey: { userId: owner, idempotencyKey: key } }, select: { id: true, requestHash: true } });
    return withdrawal ? { fingerprint: withdrawal.requestHash, answer: null, claimedAt: LONG_AGO, resourceId: withdrawal.id } : null;
  }

  /**
   * Claims again a key row still unanswered and claimed at `claimedAt`; for a key that only a withdrawal holds, inserts
   * its row from the withdrawal. (Each statement is atomic and at most one of them can succeed: a row copied from a
   * withdrawal is claimed now, never at `claimedAt`.)
   */
  async takeOver({ owner, key }: IdempotencyScope, claimedAt: Date): Promise<boolean> {
    const { count } = await this.prisma.idempotencyKey.updateMany({ where: { userId: owner, key, claimedAt, responseStatus: null }, data: { claimedAt: new Date() } });
    if (count === 1) return true;
    const copied = await this.prisma.$executeRaw`
      INSERT INTO "wallet"."idempotency_keys" (user_id, key, request_hash, withdrawal_id)
      SELECT user_id, idempotency_key, request_hash, id FROM "wallet"."withdrawals" WHERE user_id = ${owner}::uuid AND idempotency_key = ${key}
      ON CONFLICT DO NOTHING`;
    return copied === 1;
  }

  async complete({ owner, key }: IdempotencyScope, answer: StoredAnswer): Promise<void> {
    await this.prisma.idempotencyKey.update({
      where: { userId_key: { userId: owner, key } },
      data: { responseStatus: answer.status, responseBody: answer as unknown as Prisma.InputJsonValue, completedAt: new Date() },
    });
  }

  async release({ owner, key }: IdempotencyScope): Promise<void> {
    await this.prisma.idempotencyKey.deleteMany({ where: { userId: owner, key, withdrawalId: null, responseStatus: null } });
  }

  /** Links the withdrawal created under a key to it, inside the transaction that creates it. */
  async attach(tx: WalletTx, { owner, key }: IdempotencyScope, withdrawalId: string): Promise<void> {
    await tx.idempotencyKey.update({ where: { userId_key: { userId: owner, key } }, data: { withdrawalId } });
  }
}
