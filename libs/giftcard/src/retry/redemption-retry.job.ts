import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import { Queue, Worker } from 'bullmq';
import { closeQueueConnection, createQueueConnection, settleWhileConnected } from '@bitro/db';
import type { Redis } from 'ioredis';
import { PendingRedemptions } from './pending-redemptions';

export const RETRY_QUEUE = 'giftcard-redemption-retry';
const SCHEDULER_ID = 'giftcard-retry-pending-redemptions';

/**
 * A BullMQ job scheduler (role `scheduler`) enqueues a retry run every REDEMPTION_RETRY_INTERVAL_MS;
 * a worker (role `worker`) runs them one at a time. Several replicas may run both: the scheduler is
 * one per queue, and the runs share the pending rows through SKIP LOCKED.
 */
@Injectable()
export class RedemptionRetryJob implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('giftcard');
  private connection: Redis | undefined;
  private queue: Queue | undefined;
  private worker: Worker | undefined;

  constructor(
    private readonly pending: PendingRedemptions,
    @Inject(BITRO_ENV) private readonly env: BitroEnv,
  ) {}

  onApplicationBootstrap(): void {
    const prefix = `${this.env.REDIS_KEY_PREFIX}bull`;
    if (this.env.BITRO_ROLES.includes('worker')) {
      this.worker = new Worker(RETRY_QUEUE, () => this.pending.retryDue(), { connection: this.connect(), prefix, concurrency: 1 });
      this.worker.on('failed', (_job, error) => this.logger.error(`Redemption retry run failed: ${error.message}`));
      this.worker.on('error', (error) => this.logger.warn(`Redemption retry worker: ${error.message}`));
    }
    if (this.env.BITRO_ROLES.includes('scheduler')) {
      this.queue = new Queue(RETRY_QUEUE, { connection: this.connect(), prefix });
      this.queue.on('error', (error) => this.logger.warn(`Redemption retry queue: ${error.message}`));
      // Not awaited: with Redis down the replica still starts; BullMQ registers the schedule once Redis answers.
      this.queue
        .upsertJobScheduler(
          SCHEDULER_ID,
          { every: this.env.REDEMPTION_RETRY_INTERVAL_MS },
          { name: 'retry-pending', opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } },
        )
        .catch((error: Error) => this.logger.error(`Redemption retry schedule not registered: ${error.message}`));
    }
  }

  /** The running retry finishes before any onApplicationShutdown (DbModule's ends the pool it uses). */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.worker) await settleWhileConnected(this.connection, this.worker.close());
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.queue) await settleWhileConnected(this.connection, this.queue.close());
    await closeQueueConnection(this.connection);
  }

  /** One connection for the queue and the worker (which duplicates it for its blocking reads). */
  private connect(): Redis {
    // Errors are reported through the queue's and the worker's 'error' events.
    this.connection ??= createQueueConnection(this.env.REDIS_URL, () => undefined);
    return this.connection;
  }
}
