import { Inject, Injectable } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import { deleteInBatches } from '@bitro/db';
import { GiftcardPrisma } from '../persistence/giftcard-prisma';

/**
 * Deletes Idempotency-Key rows older than IDEMPOTENCY_RETENTION_HOURS, oldest first, in short batches (index on
 * created_at). A retry after that gets no stored answer; a redemption's PIN stays used, so it is refused as a repeat.
 */
@Injectable()
export class IdempotencyRetention {
  private readonly retentionMs: number;

  constructor(
    private readonly prisma: GiftcardPrisma,
    @Inject(BITRO_ENV) env: BitroEnv,
  ) {
    this.retentionMs = env.IDEMPOTENCY_RETENTION_HOURS * 3_600_000;
  }

  /** Answers how many keys it deleted. */
  deleteExpired(): Promise<number> {
    const before = new Date(Date.now() - this.retentionMs);
    return deleteInBatches(
      (limit) => this.prisma.$executeRaw`
        DELETE FROM "giftcard"."idempotency_keys" WHERE (user_id, key) IN (
          SELECT user_id, key FROM "giftcard"."idempotency_keys" WHERE created_at < ${before}
          ORDER BY created_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)`,
    );
  }
}
