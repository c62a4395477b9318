import { Inject, Injectable, Logger } from '@nestjs/common';
import { MESSAGING_SETTINGS, type MessagingSettings } from '@bitro/config';
import { PG_POOL, Poller } from '@bitro/db';
import type { Pool } from 'pg';

const INTERVAL_MS = 10 * 60_000;
const BATCH_SIZE = 5_000;
/** Any 32-bit number of our own: one replica prunes at a time. */
const LOCK_KEY = 0x6d736772;

/**
 * Deletes, in batches, what the backbone no longer needs after EVENT_RETENTION_HOURS: completed publications, handled
 * inbox rows, and relayed outbox rows that no incomplete publication still refers to. Dead letters stay until resolved.
 */
@Injectable()
export class MessagingRetention {
  private readonly logger = new Logger('MessagingRetention');
  private readonly poller: Poller;

  constructor(
    @Inject(MESSAGING_SETTINGS) private readonly settings: MessagingSettings,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {
    this.poller = new Poller({ name: 'MessagingRetention', intervalMs: INTERVAL_MS, run: () => this.prune(), exclusive: { pool, lockKey: LOCK_KEY } });
  }

  start(): void {
    this.poller.start();
  }

  stop(): Promise<void> {
    return this.poller.stop();
  }

  /** Deletes everything past retention; returns how many rows of each table. */
  async prune(): Promise<{ publications: number; inbox: number; outbox: number }> {
    const hours = this.settings.retentionHours;
    const deleted = {
      publications: await this.inBatches(
        `DELETE FROM "messaging"."publications" WHERE ctid = ANY(ARRAY(
           SELECT ctid FROM "messaging"."publications" WHERE completed_at < now() - make_interval(hours => $1) LIMIT $2))`,
        hours,
      ),
      inbox: await this.inBatches(
        `DELETE FROM "messaging"."inbox" WHERE ctid = ANY(ARRAY(
           SELECT ctid FROM "messaging"."inbox" WHERE handled_at < now() - make_interval(hours => $1) LIMIT $2))`,
        hours,
      ),
      outbox: await this.inBatches(
        `DELETE FROM "messaging"."outbox" WHERE ctid = ANY(ARRAY(
           SELECT o.ctid FROM "messaging"."outbox" o
            WHERE o.published_at < now() - make_interval(hours => $1)
              AND NOT EXISTS (SELECT 1 FROM "messaging"."publications" p WHERE p.event_id = o.id AND p.completed_at IS NULL)
            LIMIT $2))`,
        hours,
      ),
    };
    if (deleted.publications + deleted.inbox + deleted.outbox > 0) this.logger.log(`pruned ${JSON.stringify(deleted)} (older than ${hours} h)`);
    return deleted;
  }

  private async inBatches(sql: string, hours: number): Promise<number> {
    let total = 0;
    for (;;) {
      const { rowCount } = await this.pool.query(sql, [hours, BATCH_SIZE]);
      total += rowCount ?? 0;
      if ((rowCount ?? 0) < BATCH_SIZE) return total;
    }
  }
}
