import { Inject, Injectable } from '@nestjs/common';
import { PG_POOL } from '@bitro/db';
import type { Pool } from 'pg';

/** A delivery owed to a consumer that has not been completed. */
export interface IncompletePublication {
  eventId: string;
  consumer: string;
  eventName: string;
  createdAt: Date;
  /** How many times it was enqueued. */
  deliveries: number;
  /** Dead-lettered: waits for an operator. */
  failed: boolean;
}

/** The backbone's figures for one consumer. */
export interface ConsumerStatus {
  consumer: string;
  incomplete: number;
  oldestIncompleteAgeMs: number | null;
  /** Completed publications that needed more than one delivery (their job was lost, or they were retried). */
  redelivered: number;
  deadLetters: number;
}

/**
 * The publication record: one row per (event, consumer) in `messaging.publications`, the source of truth for what is
 * still owed (ADR 14). Written by the relay, completed in the consumer's inbox transaction or by an acknowledgement.
 */
@Injectable()
export class Publications {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Makes deliveries due for the sweeper's next run (their enqueue failed). */
  async markDue(rows: ReadonlyArray<{ eventId: string; consumer: string }>): Promise<void> {
    if (rows.length === 0) return;
    await this.pool.query(
      `UPDATE "messaging"."publications" p SET delivered_at = '-infinity'
         FROM unnest($1::uuid[], $2::text[]) AS r(event_id, consumer)
        WHERE p.event_id = r.event_id AND p.consumer = r.consumer AND p.completed_at IS NULL`,
      [rows.map((row) => row.eventId), rows.map((row) => row.consumer)],
    );
  }

  /** Marks a delivery complete (an acknowledgement from another process); true if it was open. */
  async complete(eventId: string, consumer: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      'UPDATE "messaging"."publications" SET completed_at = now() WHERE event_id = $1::uuid AND consumer = $2 AND completed_at IS NULL',
      [eventId, consumer],
    );
    return (rowCount ?? 0) > 0;
  }

  /** Deliveries still incomplete `olderThanMs` after they were first recorded, oldest first. */
  async incomplete(olderThanMs: number, limit = 100): Promise<IncompletePublication[]> {
    const { rows } = await this.pool.query<{ event_id: string; consumer: string; event_name: string; created_at: Date; deliveries: number; failed: boolean }>(
      `SELECT event_id, consumer, event_name, created_at, deliveries, failed_at IS NOT NULL AS failed
         FROM "messaging"."publications"
        WHERE completed_at IS NULL AND created_at < now() - make_interval(secs => $1::float8 / 1000)
        ORDER BY created_at, event_id LIMIT $2`,
      [olderThanMs, limit],
    );
    return rows.map((row) => ({
      eventId: row.event_id,
      consumer: row.consumer,
      eventName: row.event_name,
      createdAt: row.created_at,
      deliveries: row.deliveries,
      failed: row.failed,
    }));
  }

  /**
   * Per consumer with anything owed: incomplete deliveries, the oldest one's age, dead letters not resubmitted. Read from
   * the partial indexes of incomplete publications and unresolved dead letters, so it stays cheap whatever the history
   * (the metrics read it on every scrape).
   */
  async owed(): Promise<Array<Omit<ConsumerStatus, 'redelivered'>>> {
    const { rows } = await this.pool.query<{ consumer: string; incomplete: number; oldest_age_ms: number | null; dead_letters: number }>(
      `WITH p AS (
         SELECT consumer, count(*)::int AS incomplete,
                (extract(epoch FROM clock_timestamp() - min(created_at)) * 1000)::float8 AS oldest_age_ms
           FROM "messaging"."publications" WHERE completed_at IS NULL GROUP BY consumer),
       d AS (SELECT consumer, count(*)::int AS dead_letters FROM "messaging"."dead_letters" WHERE resubmitted_at IS NULL GROUP BY consumer)
       SELECT coalesce(p.consumer, d.consumer) AS consumer, coalesce(p.incomplete, 0) AS incomplete, p.oldest_age_ms,
              coalesce(d.dead_letters, 0) AS dead_letters
         FROM p FULL JOIN d ON d.consumer = p.consumer ORDER BY 1`,
    );
    return rows.map((row) => ({
      consumer: row.consumer,
      incomplete: row.incomplete,
      oldestIncompleteAgeMs: row.oldest_age_ms === null ? null : Math.max(0, Math.floor(row.oldest_age_ms)),
      deadLetters: row.dead_letters,
    }));
  }

  /** Per consumer: {@link owed}, and the redelivered ones among the retained completed publications. */
  async status(): Promise<ConsumerStatus[]> {
    const [owed, { rows }] = await Promise.all([
      this.owed(),
      this.pool.query<{ consumer: string; redelivered: number }>(
        `SELECT consumer, count(*) FILTER (WHERE deliveries > 1)::int AS redelivered
           FROM "messaging"."publications" WHERE completed_at IS NOT NULL GROUP BY consumer`,
      ),
    ]);
    const redelivered = new Map(rows.map((row) => [row.consumer, row.redelivered]));
    const consumers = [...new Set([...owed.map((row) => row.consumer), ...redelivered.keys()])].sort();
    const byConsumer = new Map(owed.map((row) => [row.consumer, row]));
    return consumers.map((consumer) => ({
      consumer,
      incomplete: byConsumer.get(consumer)?.incomplete ?? 0,
      oldestIncompleteAgeMs: byConsumer.get(consumer)?.oldestIncompleteAgeMs ?? null,
      redelivered: redelivered.get(consumer) ?? 0,
      deadLetters: byConsumer.get(consumer)?.deadLetters ?? 0,
    }));
  }
}
