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
import { SubscriberRegistry } from './subscriber-registry';
import { throttled } from './throttled';

const BATCH_SIZE = 200;
/**
 * The relay's claim as one statement: the oldest unpublished rows (SKIP LOCKED), a publication for each consumer that
 * $2 (event name -> consumers) routes it to, and the rows marked published. Rows come back oldest first.
 */
const CLAIM_AND_RECORD = {
  name: 'messaging.relay-claim',
  text: `WITH claimed AS (
      SELECT ${OUTBOX_ROW_COLUMNS} FROM "messaging"."outbox"
       WHERE published_at IS NULL ORDER BY occurred_at, id LIMIT $1 FOR UPDATE SKIP LOCKED
    ), recorded AS (
      INSERT INTO "messaging"."publications" (event_id, consumer, event_name)
      SELECT c.id, r.consumer, c.name FROM claimed c CROSS JOIN LATERAL jsonb_array_elements_text(COALESCE($2::jsonb -> c.name, '[]'::jsonb)) AS r(consumer)
      ON CONFLICT DO NOTHING
    ), marked AS (
      UPDATE "messaging"."outbox" o SET published_at = now() FROM claimed c WHERE o.id = c.id
    )
    SELECT * FROM claimed ORDER BY occurred_at, id`,
};
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
   * published, in one statement (so one transaction); then enqueues the jobs. Enqueueing after the commit means a
   * consumer never runs before its publication exists; a crash or a Redis failure in between leaves incomplete
   * publications, which the sweeper delivers (at once after a failed enqueue, which marks them due).
   */
  async publishBatch(): Promise<number> {
    const { rows } = await this.pool.query<OutboxRow>({ ...CLAIM_AND_RECORD, values: [BATCH_SIZE, JSON.stringify(this.publicationRoutes())] });
    if (rows.length === 0) return 0;
    const deliveries = new Map<string, Delivery[]>();
    const publications: Array<{ eventId: string; consumer: string }> = [];
    const add = (queueName: string, delivery: Delivery) => deliveries.set(queueName, [...(deliveries.get(queueName) ?? []), delivery]);
    for (const row of rows) {
      const event = eventOfRow(row);
      for (const consumer of this.consumersOf(row.name)) {
        publications.push({ eventId: event.id, consumer });
        add(consumerQueueName(consumer), { jobId: deliveryJobId(event.id, consumer), name: event.name, data: event });
      }
      const outboundQueue = this.registry.outboundQueueOf(row.name);
      if (outboundQueue) {
        publications.push({ eventId: event.id, consumer: outboundConsumerName(outboundQueue) });
        // Without a secret nothing can be sent: the publication stays incomplete and is reported (never a blocked relay).
        if (this.registry.secrets.length > 0) add(outboundQueue, { jobId: event.id, name: event.name, data: signMessage(this.registry.secrets, outboundQueue, event) });
      }
    }
    const spans = publishSpans(rows);
    try {
      await Promise.all([...deliveries].map(([queueName, batch]) => this.queues.deliver(queueName, batch)));
      spans.forEach((span) => endSpan(span));
    } catch (error) {
      spans.forEach((span) => endSpan(span, error));
      this.logThrottled(() => this.logger.warn(`enqueueing relayed events failed, the sweeper delivers them: ${(error as Error).message}`));
      await this.publications.markDue(publications).catch(() => undefined);
    }
    return rows.length;
  }

  /** Every consumer each known event is recorded for: its subscribers here and in the directory, and its outbound queue. */
  private publicationRoutes(): Record<string, string[]> {
    const names = new Set([...this.registry.eventNames(), ...this.directory.eventNames()]);
    return Object.fromEntries(
      [...names].map((name) => {
        const outboundQueue = this.registry.outboundQueueOf(name);
        return [name, [...this.consumersOf(name), ...(outboundQueue ? [outboundConsumerName(outboundQueue)] : [])]];
      }),
    );
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
