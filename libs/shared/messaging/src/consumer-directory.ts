import { Inject, Injectable } from '@nestjs/common';
import { MESSAGING_SETTINGS, type MessagingSettings } from '@bitro/config';
import { PG_POOL } from '@bitro/db';
import type { Pool } from 'pg';

/** A consumer that no replica has reported for this long gets no new publications (it was removed). */
const FORGOTTEN_AFTER = '1 day';
/** `seen_at` is rewritten only when older than this: a row version every sweep would be churn for a day-long window. */
const SEEN_REFRESH = '1 hour';
/** A consumer's first registration is checked for missed events this long (a rolling deploy's overlap). */
const NEW_FOR = '1 hour';
/** After this process's first check, only what was relayed lately can still be missing (relays refresh every 20 s: DIRECTORY_REFRESH_MS). */
const RECENT_MS = 60_000;

/**
 * The consumers of every replica and every deployed version (`messaging.subscriptions`). The relay writes a
 * publication for each of them, not only for those its own build knows; a consumer registered for the first time
 * receives the events relayed up to EVENT_NEW_CONSUMER_BACKFILL_MS before it, and those a not-yet-refreshed relay of
 * an older build relayed after it.
 */
@Injectable()
export class ConsumerDirectory {
  private byEvent = new Map<string, readonly string[]>();
  private checkedSince: Date | undefined;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(MESSAGING_SETTINGS) private readonly settings: MessagingSettings,
  ) {}

  /** Reports this process's consumers as alive, records missed publications of new ones and reloads the directory. */
  async refresh(local: ReadonlyArray<{ consumer: string; events: readonly string[] }>): Promise<void> {
    const pairs = local.flatMap(({ consumer, events }) => events.map((event) => [consumer, event] as const));
    if (pairs.length > 0) {
      await this.pool.query(
        `INSERT INTO "messaging"."subscriptions" (consumer, event_name) SELECT * FROM unnest($1::text[], $2::text[])
         ON CONFLICT (consumer, event_name) DO UPDATE SET seen_at = now()
           WHERE "messaging"."subscriptions".seen_at < now() - interval '${SEEN_REFRESH}'`,
        [pairs.map(([consumer]) => consumer), pairs.map(([, event]) => event)],
      );
      await this.pool.query(
        `INSERT INTO "messaging"."publications" (event_id, consumer, event_name, delivered_at, deliveries)
         SELECT o.id, s.consumer, o.name, '-infinity', 0
           FROM "messaging"."subscriptions" s
           JOIN "messaging"."outbox" o ON o.name = s.event_name
                AND o.published_at >= greatest(s.registered_at - make_interval(secs => $2::float8 / 1000), $3::timestamptz)
          WHERE s.consumer = ANY($1::text[]) AND s.registered_at > now() - interval '${NEW_FOR}'
            AND NOT EXISTS (SELECT 1 FROM "messaging"."publications" p WHERE p.event_id = o.id AND p.consumer = s.consumer)
         ON CONFLICT DO NOTHING`,
        [[...new Set(pairs.map(([consumer]) => consumer))], this.settings.newConsumerBackfillMs, this.checkedSince ?? '-infinity'],
      );
      this.checkedSince = new Date(Date.now() - RECENT_MS);
    }
    const { rows } = await this.pool.query<{ event_name: string; consumers: string[] }>(
      `SELECT event_name, array_agg(consumer ORDER BY consumer) AS consumers FROM "messaging"."subscriptions"
        WHERE seen_at > now() - interval '${FORGOTTEN_AFTER}' GROUP BY event_name`,
    );
    this.byEvent = new Map(rows.map((row) => [row.event_name, row.consumers]));
  }

  /** The events the directory knows consumers of. */
  eventNames(): string[] {
    return [...this.byEvent.keys()];
  }

  /** The consumers of an event known to the directory (as of the last refresh). */
  consumersOf(eventName: string): readonly string[] {
    return this.byEvent.get(eventName) ?? [];
  }
}
