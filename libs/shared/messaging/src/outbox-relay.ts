import { Inject, Injectable, Logger } from '@nestjs/common';
import { MESSAGING_SETTINGS, type MessagingSettings } from '@bitro/config';
import { PG_POOL } from '@bitro/db';
import type { Pool } from 'pg';
import type { DomainEvent } from './event-handler';
import { type Delivery, deliveryJobId, MessagingQueues, RELAY_QUEUE } from './messaging-queues';
import { pgTransaction } from './sql-executor';
import { throttled } from './throttled';
import { SubscriberRegistry } from './subscriber-registry';

const SCHEDULER_ID = 'outbox-relay';
const BATCH_SIZE = 200;
/** One relay run stops after this long (well within BullMQ's 30 s job lock); the next run goes on. */
const MAX_RUN_MS = 5_000;

interface OutboxRow {
  id: string;
  name: string;
  payload: unknown;
  occurred_at: Date;
}

/** Publishes outbox rows to the queues of their consumers. */
@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger('OutboxRelay');
  private readonly logThrottled = throttled(10_000);
  private stopping = false;

  constructor(
    @Inject(MESSAGING_SETTINGS) private readonly settings: MessagingSettings,
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly queues: MessagingQueues,
    private readonly registry: SubscriberRegistry,
  ) {}

  /** The job scheduler that triggers a relay run every OUTBOX_RELAY_INTERVAL_MS (idempotent: every scheduler replica upserts it). */
  async schedule(): Promise<void> {
    const queue = this.queues.queue(RELAY_QUEUE);
    const every = this.settings.relayIntervalMs;
    // An upsert keeps the scheduler's phase (offset) within its old interval, which holds a shorter
    // new interval back to the old pace: a changed interval starts afresh.
    const current = await queue.getJobScheduler(SCHEDULER_ID);
    if (current && Number(current.every) !== every) await queue.removeJobScheduler(SCHEDULER_ID);
    await queue.upsertJobScheduler(
      SCHEDULER_ID,
      { every },
      { name: 'relay', opts: { removeOnComplete: true, removeOnFail: { count: 100 } } },
    );
  }

  startWorker(): void {
    this.stopping = false;
    this.queues.startWorker(RELAY_QUEUE, async () => {
      try {
        await this.drain();
      } catch (error) {
        this.logThrottled(() => this.logger.warn(`relay run failed, the next one retries: ${(error as Error).message}`));
        throw error;
      }
    }, { concurrency: 1 });
  }

  stop(): void {
    this.stopping = true;
  }

  /** Publishes batches until the outbox is empty (or the run is long enough); returns how many events it published. */
  async drain(): Promise<number> {
    const started = Date.now();
    let published = 0;
    while (!this.stopping && Date.now() - started < MAX_RUN_MS) {
      const count = await this.publishBatch();
      published += count;
      if (count < BATCH_SIZE) break;
    }
    return published;
  }

  /**
   * Claims unpublished rows (SKIP LOCKED: replicas take disjoint batches), enqueues one job per
   * (event, consumer), and one on the event's outbound queue if it has one, and marks the rows published, all in one transaction. A crash after the
   * enqueue and before the commit re-publishes the rows: the same job ids, deduplicated by BullMQ
   * (and by the consumers' inbox). Events nobody subscribes to are marked published as well.
   */
  async publishBatch(): Promise<number> {
    return pgTransaction(this.pool, async (tx) => {
      const rows = await tx.$queryRawUnsafe<OutboxRow[]>(
        `SELECT id, name, payload, occurred_at FROM "messaging"."outbox"
          WHERE published_at IS NULL ORDER BY occurred_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        BATCH_SIZE,
      );
      if (rows.length === 0) return 0;
      const deliveries = new Map<string, Delivery[]>();
      const add = (queueName: string, delivery: Delivery) => deliveries.set(queueName, [...(deliveries.get(queueName) ?? []), delivery]);
      for (const row of rows) {
        const event: DomainEvent = { id: row.id, name: row.name, occurredAt: row.occurred_at.toISOString(), payload: row.payload };
        for (const subscription of this.registry.subscriptionsOf(row.name)) {
          add(subscription.queue, { jobId: deliveryJobId(event.id, subscription.consumer), event });
        }
        const outboundQueue = this.registry.outboundQueueOf(row.name);
        if (outboundQueue) add(outboundQueue, { jobId: event.id, event });
      }
      await Promise.all([...deliveries].map(([queueName, batch]) => this.queues.deliver(queueName, batch)));
      await tx.$executeRawUnsafe(
        'UPDATE "messaging"."outbox" SET published_at = now() WHERE id = ANY($1::uuid[])',
        rows.map((row) => row.id),
      );
      return rows.length;
    });
  }
}
