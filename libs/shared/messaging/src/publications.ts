import { Inject, Injectable } from '@nestjs/common';
import { PG_POOL } from '@bitro/db';
import type { Pool } from 'pg';
import type { SqlExecutor } from './sql-executor';

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

  /** Records deliveries in the relay's transaction (a row already there is kept). */
  static async record(tx: SqlExecutor, rows: ReadonlyArray<{ eventId: string; consumer: string; eventName: string }>): Promise<void> {
    if (rows.length === 0) return;
    await tx.$executeRawUnsafe(
      `INSERT INTO "messaging"."publications" (event_id, consumer, event_name)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING`,
      rows.map((row) => row.eventId),
      rows.map((row) => row.consumer),
      rows.map((row) => row.eventName),
    );
  }

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

  /** Per consumer: incomplete deliveries, the oldest one's age, redelivered ones among the retained, dead letters. */
  async status(): Promise<ConsumerStatus[]> {
    const { rows } = await this.pool.query<{ consumer: string; incomplete: number; oldest_age_ms: number | null; redelivered: number; dead_letters: number }>(
      `WITH p AS (
         SELECT consumer,
                count(*) FILTER (WHERE completed_at IS NULL)::int AS incomplete,
                (extract(epoch FROM clock_timestamp() - min(created_at) FILTER (WHERE completed_at IS NULL)) * 1000)::float8 AS oldest_age_ms,
                count(*) FILTER (WHERE completed_at IS NOT NULL AND deliveries > 1)::int AS redelivered
           FROM "messaging"."publications" GROUP BY consumer),
       d AS (SELECT consumer, count(*)::int AS dead_letters FROM "messaging"."dead_letters" WHERE resubmitted_at IS NULL GROUP BY consumer)
       SELECT coalesce(p.consumer, d.consumer) AS consumer, coalesce(p.incomplete, 0) AS incomplete, p.oldest_age_ms,
              coalesce(p.redelivered, 0) AS redelivered, coalesce(d.dead_letters, 0) AS dead_letters
         FROM p FULL JOIN d ON d.consumer = p.consumer ORDER BY 1`,
    );
    return rows.map((row) => ({
      consumer: row.consumer,
      incomplete: row.incomplete,
      oldestIncompleteAgeMs: row.oldest_age_ms === null ? null : Math.max(0, Math.floor(row.oldest_age_ms)),
      redelivered: row.redelivered,
      deadLetters: row.dead_letters,
    }));
  }
}
