import { Inject, Injectable } from '@nestjs/common';
import { PG_POOL } from '@bitro/db';
import type { Pool } from 'pg';

export interface MessagingSnapshot {
  /** Events not published yet. */
  outboxBacklog: number;
  /** Age of the oldest unpublished event; null when there is none. */
  oldestUnpublishedAgeMs: number | null;
  /** Dead letters not resubmitted yet. */
  deadLetters: number;
}

@Injectable()
export class MessagingMetrics {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async snapshot(): Promise<MessagingSnapshot> {
    const { rows } = await this.pool.query<{ backlog: number; oldest_age_ms: number | null; dead_letters: number }>(
      `SELECT o.backlog, o.oldest_age_ms, d.dead_letters
         FROM (SELECT count(*)::int AS backlog,
                      (extract(epoch FROM clock_timestamp() - min(occurred_at)) * 1000)::float8 AS oldest_age_ms
                 FROM "messaging"."outbox" WHERE published_at IS NULL) o,
              (SELECT count(*)::int AS dead_letters FROM "messaging"."dead_letters" WHERE resubmitted_at IS NULL) d`,
    );
    const { backlog, oldest_age_ms, dead_letters } = rows[0] ?? { backlog: 0, oldest_age_ms: null, dead_letters: 0 };
    return {
      outboxBacklog: backlog,
      // occurred_at comes from the appending process's clock: never report a negative age.
      oldestUnpublishedAgeMs: oldest_age_ms === null ? null : Math.max(0, Math.floor(oldest_age_ms)),
      deadLetters: dead_letters,
    };
  }
}
