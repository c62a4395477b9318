import { Injectable } from '@nestjs/common';
import type { IdempotencyRecord, IdempotencyScope, IdempotencyStore, StoredAnswer } from '@bitro/idempotency';
import { executeNamed, type SqlExecutor } from '@bitro/messaging';
import { GiftcardPrisma } from './giftcard-prisma';

const CLAIM = {
  name: 'giftcard.idempotency-claim',
  text: 'INSERT INTO "giftcard"."idempotency_keys" (user_id, key, request_hash, claimed_at) VALUES ($1::uuid, $2, $3, $4) ON CONFLICT DO NOTHING',
};
const COMPLETE = {
  name: 'giftcard.idempotency-complete',
  text: `UPDATE "giftcard"."idempotency_keys" SET response_status = $3, response_body = $4::jsonb, completed_at = now()
    WHERE user_id = $1::uuid AND key = $2`,
};

const completion = ({ owner, key }: IdempotencyScope, answer: StoredAnswer) => [owner, key, answer.status, JSON.stringify(answer)];
const vanished = ({ owner }: IdempotencyScope) => new Error(`Idempotency-Key of user ${owner} vanished before its answer was stored`);

/**
 * The Idempotency-Keys of POST /v1/giftcards/redemptions (`idempotency_keys`, one row per user and key), the store
 * `runIdempotently` of @bitro/idempotency works on; the owner of a key is the user. A redemption created under a key
 * is linked to it (in the statement that creates it, see RedemptionRequests), so that a retry after its request died is answered from that redemption.
 */
@Injectable()
export class IdempotencyKeys implements IdempotencyStore {
  constructor(private readonly prisma: GiftcardPrisma) {}

  // claim and complete run once per request: named statements on the pool, without the ORM's cost (ADR 0031);
  // claimed_at on the process's clock, as takeOver sets and runIdempotently compares it.
  async claim({ owner, key }: IdempotencyScope, fingerprint: string): Promise<boolean> {
    const { rowCount } = await this.prisma.pool.query({ ...CLAIM, values: [owner, key, fingerprint, new Date()] });
    return rowCount === 1;
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

  async complete(scope: IdempotencyScope, answer: StoredAnswer): Promise<void> {
    const { rowCount } = await this.prisma.pool.query({ ...COMPLETE, values: completion(scope, answer) });
    if (rowCount !== 1) throw vanished(scope);
  }

  /** `complete` in the caller's transaction: the answer is stored if and when it commits (see `AnsweredInTransaction`). */
  async completeIn(tx: SqlExecutor, scope: IdempotencyScope, answer: StoredAnswer): Promise<void> {
    if ((await executeNamed(tx, COMPLETE, completion(scope, answer))) !== 1) throw vanished(scope);
  }

  async release({ owner, key }: IdempotencyScope): Promise<void> {
    await this.prisma.idempotencyKey.deleteMany({ where: { userId: owner, key, redemptionId: null, responseStatus: null } });
  }

  /** Deletes up to `limit` keys created before `before`, oldest first; answers how many. */
  deleteCreatedBefore(before: Date, limit: number): Promise<number> {
    return this.prisma.$executeRaw`
      DELETE FROM "giftcard"."idempotency_keys" WHERE (user_id, key) IN (
        SELECT user_id, key FROM "giftcard"."idempotency_keys" WHERE created_at < ${before}
        ORDER BY created_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)`;
  }
}
