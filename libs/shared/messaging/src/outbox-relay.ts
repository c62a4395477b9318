import { Inject, Injectable, Logger } from '@nestjs/common';
import { DB_SETTINGS, type DbSettings, MESSAGING_SETTINGS, type MessagingSettings } from '@bitro/config';
import { PG_POOL, Poller, SAFETY_NET_POLL_MS } from '@bitro/db';
import { endSpan, SpanKind, type StartedSpan, startSpan } from '@bitro/tracing';
import type { Pool } from 'pg';
import { ConsumerDirectory } from './consumer-directory';
import { signMessage } from './message-signing';
import { consumerQueueName, type Delivery, deliveryJobId, MessagingQueues } from './messaging-queues';
import { outboundConsumerName } from './messaging-routes';
import { eventOfRow, type OutboxRow, OUTBOX_ROW_COLUMNS } from './outbox-row';
import { OutboxWakeup } from './outbox-wakeup';
import { Publications } from './publications';
import { pgTransaction } from './sql-executor';
import { SubscriberRegistry } from './subscriber-registry';
import { throttled } from './throttled';

const BATCH_SIZE = 200;
/** One relay run stops after this long; the next run goes on. */
const MAX_RUN_MS = 5_000;

/**
 * Publishes outbox rows to the queues of their consumers. It runs in every worker replica on a timer of its own
 * (nothing in Redis to lose), woken at once by PostgreSQL when an event is committed.
 */
@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger('OutboxRelay');
  private readonly logThrottled = throttled(10_000);
  private readonly poller: Poller;
  private readonly wakeup: OutboxWakeup;
  private stopping = false;

  constructor(
    @Inject(MESSAGING_SETTINGS) settings: MessagingSettings,
    @Inject(DB_SETTINGS) db: DbSettings,
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly queues: MessagingQueues,
    private readonly registry: SubscriberRegistry,
    private readonly directory: ConsumerDirectory,
    private readonly publications: Publications,
  ) {
    this.poller = new Poller({
      name: 'OutboxRelay',
      // While commits wake the relay (LISTEN) the poll is a safety net; OUTBOX_RELAY_INTERVAL_MS while that is down.
      intervalMs: () => (this.wakeup.listening ? Math.max(SAFETY_NET_POLL_MS, settings.relayIntervalMs) : settings.relayIntervalMs),
      run: () => this.drain(),
    });
    this.wakeup = new OutboxWakeup(db.databaseUrl, () => this.poller.wake());
  }

  start(): void {
    this.stopping = false;
    this.poller.start();
    this.wakeup.start();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all([this.wakeup.stop(), this.poller.stop()]);
  }

  /** Publishes batches until the outbox is empty (or the run is long enough); returns how many events it published. */
  async drain(): Promise<number> {
    const started = Date.now();
    let published = 0;
    while (!this.stopping && Date.now() - started < MAX_RUN_MS) {
      const count = await this.publishBatch();
      published += count;
      if (count < BATCH_SIZE) return published;
    }
    // Stopped by the time limit with rows left: the next run follows at once, not after the poll interval.
    if (!this.stopping) this.poller.wake();
    return published;
  }

  /**
   * Claims unpublished rows (SKIP LOCKED: replicas take disjoint batches), records a publication per (event, consumer)
   * — every consumer the directory knows, whichever build runs it — and one per outbound queue, and marks the rows
   * published, in one transaction; then enqueues the jobs. Enqueueing after the commit means a consumer never runs
   * before its publication exists; a crash or a Redis failure in between leaves incomplete publications, which the
   * sweeper delivers (at once after a failed enqueue, which marks them due).
   */
  async publishBatch(): Promise<number> {
    const claimed = await pgTransaction(this.pool, async (tx) => {
      const rows = await tx.$queryRawUnsafe<OutboxRow[]>(
        `SELECT ${OUTBOX_ROW_COLUMNS} FROM "messaging"."outbox"
          WHERE published_at IS NULL ORDER BY occurred_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        BATCH_SIZE,
      );
      if (rows.length === 0) return { count: 0, deliveries: new Map<string, Delivery[]>(), publications: [], spans: [] };
      const deliveries = new Map<string, Delivery[]>();
      const publications: Array<{ eventId: string; consumer: string; eventName: string }> = [];
      const add = (queueName: string, delivery: Delivery) => deliveries.set(queueName, [...(deliveries.get(queueName) ?? []), delivery]);
      for (const row of rows) {
        const event = eventOfRow(row);
        for (const consumer of this.consumersOf(row.name)) {
          publications.push({ eventId: event.id, consumer, eventName: event.name });
          add(consumerQueueName(consumer), { jobId: deliveryJobId(event.id, consumer), name: event.name, data: event });
        }
        const outboundQueue = this.registry.outboundQueueOf(row.name);
        if (outboundQueue) {
          publications.push({ eventId: event.id, consumer: outboundConsumerName(outboundQueue), eventName: event.name });
          // Without a secret nothing can be sent: the publication stays incomplete and is reported (never a blocked relay).
          if (this.registry.secrets.length > 0) add(outboundQueue, { jobId: event.id, name: event.name, data: signMessage(this.registry.secrets, outboundQueue, event) });
        }
      }
      await Publications.record(tx, publications);
      await tx.$executeRawUnsafe(
        'UPDATE "messaging"."outbox" SET published_at = now() WHERE id = ANY($1::uuid[])',
        rows.map((row) => row.id),
      );
      return { count: rows.length, deliveries, publications, spans: publishSpans(rows) };
    });
    try {
      await Promise.all([...claimed.deliveries].map(([queueName, batch]) => this.queues.deliver(queueName, batch)));
      claimed.spans.forEach((span) => endSpan(span));
    } catch (error) {
      claimed.spans.forEach((span) => endSpan(span, error));
      this.logThrottled(() => this.logger.warn(`enqueueing relayed events failed, the sweeper delivers them: ${(error as Error).message}`));
      await this.publications.markDue(claimed.publications).catch(() => undefined);
    }
    return claimed.count;
  }

  private consumersOf(eventName: string): Set<string> {
    return new Set([...this.registry.subscriptionsOf(eventName).map((subscription) => subscription.consumer), ...this.directory.consumersOf(eventName)]);
  }
}

/** One span per relayed event (while tracing), a child of the event's own: from its claim to its jobs being enqueued. */
function publishSpans(rows: readonly OutboxRow[]): StartedSpan[] {
  const spans: StartedSpan[] = [];
  for (const row of rows) {
    const span = startSpan(`publish ${row.name}`, {
      kind: SpanKind.PRODUCER,
      parent: { traceparent: row.traceparent ?? undefined, tracestate: row.tracestate ?? undefined },
      attributes: { 'messaging.operation.type': 'send', 'messaging.destination.name': row.name, 'messaging.message.id': row.id, 'messaging.batch.message_count': rows.length },
    });
    if (span) spans.push(span);
  }
  return spans;
}
