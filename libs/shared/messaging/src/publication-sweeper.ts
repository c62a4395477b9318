import { Inject, Injectable, Logger } from '@nestjs/common';
import { MESSAGING_SETTINGS, type MessagingSettings } from '@bitro/config';
import { PG_POOL, Poller } from '@bitro/db';
import type { Pool } from 'pg';
import { ConsumerDirectory } from './consumer-directory';
import { signMessage } from './message-signing';
import { eventOfRow, type OutboxRow } from './outbox-row';
import { type Delivery, deliveryJobId, MessagingQueues } from './messaging-queues';
import { outboundConsumerName } from './messaging-routes';
import { pgTransaction } from './sql-executor';
import { SubscriberRegistry } from './subscriber-registry';

const BATCH_SIZE = 500;
/** The sweep runs this often at most, and at least four times per redelivery window. */
const MAX_SWEEP_INTERVAL_MS = 5_000;
/**
 * The consumer directory is refreshed by the first sweep and then by the first sweep this long after the last refresh:
 * three statements that find nothing new on almost every sweep. Well within the directory's backfill window (60 s of
 * relays), so events that another replica relayed before it learnt of a new consumer are still given to it.
 */
export const DIRECTORY_REFRESH_MS = 20_000;

/** Whether any publication of `$1`'s consumers is due for redelivery: one statement, without a transaction. */
const ANY_STALE = {
  name: 'messaging.publications-any-stale',
  text: `SELECT EXISTS (
      SELECT 1 FROM "messaging"."publications"
       WHERE completed_at IS NULL AND failed_at IS NULL AND consumer = ANY($1::text[])
         AND delivered_at < now() - make_interval(secs => $2::float8 / 1000)) AS stale`,
};

interface StaleRow extends OutboxRow {
  event_id: string;
  consumer: string;
  deliveries: number;
}

/**
 * Re-delivers every publication of this process's consumers (and of its outbound queues) still incomplete
 * EVENT_REDELIVERY_AFTER_MS after it was last enqueued, whatever became of its job: lost with Redis's data, never
 * enqueued, or recorded for a consumer that did not exist when the event was relayed. A job still queued or running is
 * left alone. Runs in every worker replica (SKIP LOCKED splits the work); it also keeps the consumer directory fresh.
 */
@Injectable()
export class PublicationSweeper {
  private readonly logger = new Logger('PublicationSweeper');
  private readonly poller: Poller;
  private directoryRefreshedAt = Number.NEGATIVE_INFINITY;

  constructor(
    @Inject(MESSAGING_SETTINGS) private readonly settings: MessagingSettings,
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly queues: MessagingQueues,
    private readonly registry: SubscriberRegistry,
    private readonly directory: ConsumerDirectory,
  ) {
    const intervalMs = Math.min(MAX_SWEEP_INTERVAL_MS, Math.ceil(settings.redeliveryAfterMs / 4));
    this.poller = new Poller({ name: 'PublicationSweeper', intervalMs, run: () => this.sweep({ directory: performance.now() - this.directoryRefreshedAt >= DIRECTORY_REFRESH_MS }) });
  }

  start(): void {
    this.poller.start();
  }

  stop(): Promise<void> {
    return this.poller.stop();
  }

  /**
   * One sweep: refreshes the directory (unless `directory` is false), then re-delivers stale publications; returns how
   * many it enqueued again. A sweep that finds none due runs one statement for them, outside any transaction.
   */
  async sweep({ directory = true }: { directory?: boolean } = {}): Promise<number> {
    if (directory) {
      await this.directory.refresh(this.registry.all().map(({ consumer, handlers }) => ({ consumer, events: [...handlers.keys()] })));
      this.directoryRefreshedAt = performance.now();
    }
    const { rows } = await this.pool.query<{ stale: boolean }>({ ...ANY_STALE, values: [this.consumers(), this.settings.redeliveryAfterMs] });
    if (!rows[0]?.stale) return 0;
    let redelivered = 0;
    for (;;) {
      const { scanned, enqueued } = await this.sweepBatch();
      redelivered += enqueued;
      // A full batch whose jobs were all still queued: the consumers are behind, their jobs are not lost. The rest of
      // the backlog waits for the next sweeps (each takes the oldest batch), rather than every row being looked at in
      // Redis and rewritten here each EVENT_REDELIVERY_AFTER_MS.
      if (scanned < BATCH_SIZE || enqueued === 0) break;
    }
    if (redelivered > 0) this.logger.warn(`re-delivered ${redelivered} publication(s) whose jobs were lost or never enqueued`);
    return redelivered;
  }

  private queueOf(consumer: string): { queue: string; outbound: boolean } | undefined {
    const local = this.registry.get(consumer);
    if (local) return { queue: local.queue, outbound: false };
    const outbound = this.registry.outboundQueueOfConsumer(consumer);
    return outbound && this.registry.secrets.length > 0 ? { queue: outbound, outbound: true } : undefined;
  }

  /** This process's consumers and outbound queues: the publications it redelivers. */
  private consumers(): string[] {
    return [...this.registry.all().map((subscription) => subscription.consumer), ...this.registry.outboundQueues().map((queue) => outboundConsumerName(queue))];
  }

  private async sweepBatch(): Promise<{ scanned: number; enqueued: number }> {
    const consumers = this.consumers();
    return pgTransaction(this.pool, async (tx) => {
      const rows = await tx.$queryRawUnsafe<StaleRow[]>(
        `SELECT p.event_id, p.consumer, p.deliveries, o.id, o.name, o.payload, o.occurred_at, o.traceparent, o.tracestate, o.correlation_id
           FROM "messaging"."publications" p JOIN "messaging"."outbox" o ON o.id = p.event_id
          WHERE p.completed_at IS NULL AND p.failed_at IS NULL AND p.consumer = ANY($1::text[])
            AND p.delivered_at < now() - make_interval(secs => $2::float8 / 1000)
          ORDER BY p.delivered_at LIMIT $3 FOR UPDATE OF p SKIP LOCKED`,
        consumers,
        this.settings.redeliveryAfterMs,
        BATCH_SIZE,
      );
      const deliveries = new Map<string, Delivery[]>();
      const redelivered: StaleRow[] = [];
      await Promise.all(
        rows.map(async (row) => {
          const target = this.queueOf(row.consumer);
          if (!target) return;
          const current = target.outbound ? outboundJobId(row.event_id, row.deliveries - 1) : deliveryJobId(row.event_id, row.consumer, row.deliveries - 1);
          if (row.deliveries > 0 && (await this.queues.isPending(target.queue, current))) return;
          const event = eventOfRow(row);
          const jobId = target.outbound ? outboundJobId(row.event_id, row.deliveries) : deliveryJobId(row.event_id, row.consumer, row.deliveries);
          const data = target.outbound ? signMessage(this.registry.secrets, target.queue, event) : event;
          deliveries.set(target.queue, [...(deliveries.get(target.queue) ?? []), { jobId, name: event.name, data }]);
          redelivered.push(row);
        }),
      );
      if (rows.length === 0) return { scanned: 0, enqueued: 0 };
      await Promise.all([...deliveries].map(([queue, batch]) => this.queues.deliver(queue, batch)));
      // Every scanned row counts as delivered now: a pending job was looked at, the others were enqueued again.
      await tx.$executeRawUnsafe(
        `UPDATE "messaging"."publications" p SET delivered_at = now(), deliveries = p.deliveries + (r.redelivered)::int
           FROM unnest($1::uuid[], $2::text[], $3::bool[]) AS r(event_id, consumer, redelivered)
          WHERE p.event_id = r.event_id AND p.consumer = r.consumer`,
        rows.map((row) => row.event_id),
        rows.map((row) => row.consumer),
        rows.map((row) => redelivered.includes(row)),
      );
      return { scanned: rows.length, enqueued: redelivered.length };
    });
  }
}

/** Outbound messages keep the event id as job id; the n-th redelivery gets `.r<n>`. */
const outboundJobId = (eventId: string, redelivery: number) => (redelivery > 0 ? `${eventId}.r${redelivery}` : eventId);
