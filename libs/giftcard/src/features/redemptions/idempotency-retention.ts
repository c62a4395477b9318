import { Inject, Injectable, Logger } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import { deleteInBatches } from '@bitro/db';
import { IdempotencyKeys } from '../../persistence/idempotency-keys';

/**
 * One run of the Idempotency-Key retention: deletes the keys older than IDEMPOTENCY_RETENTION_HOURS, oldest first, in
 * short batches (index on created_at). A retry after that gets no stored answer; a redemption's PIN stays used, so it
 * is refused as a repeat.
 */
@Injectable()
export class IdempotencyRetention {
  private readonly logger = new Logger('giftcard');
  private readonly retentionMs: number;

  constructor(
    private readonly keys: IdempotencyKeys,
    @Inject(BITRO_ENV) env: BitroEnv,
  ) {
    this.retentionMs = env.IDEMPOTENCY_RETENTION_HOURS * 3_600_000;
  }

  /** Answers how many keys it deleted. */
  async run(): Promise<number> {
    const before = new Date(Date.now() - this.retentionMs);
    const deleted = await deleteInBatches((limit) => this.keys.deleteCreatedBefore(before, limit));
    if (deleted > 0) this.logger.log(`Idempotency-Key retention: ${deleted} expired key(s) deleted`);
    return deleted;
  }
}
