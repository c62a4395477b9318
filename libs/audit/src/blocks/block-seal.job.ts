import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import { closeQueueConnection, createQueueConnection, settleWhileConnected } from '@bitro/db';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { BlockSealer } from './block-sealer';

export const SEAL_QUEUE = 'audit-block-seal';
const SCHEDULER_ID = 'audit-seal-blocks';

/**
 * Seals audit blocks every AUDIT_BLOCK_INTERVAL_MS: a BullMQ job scheduler (role `scheduler`) enqueues the
 * runs, a worker (role `worker`) performs them one at a time; concurrent runs of other replicas skip (advisory lock).
 */
@Injectable()
export class BlockSealJob implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('audit');
  private connection: Redis | undefined;
  private queue: Queue | undefined;
  private worker: Worker | undefined;

  constructor(
    private readonly sealer: BlockSealer,
    @Inject(BITRO_ENV) private readonly env: BitroEnv,
  ) {}

  onApplicationBootstrap(): void {
    const prefix = `${this.env.REDIS_KEY_PREFIX}bull`;
    const roles = this.env.BITRO_ROLES;
    if (!roles.includes('worker') && !roles.includes('scheduler')) return;
    // Errors are reported through the queue's and the worker's 'error' events.
    this.connection = createQueueConnection(this.env.REDIS_URL, () => undefined);
    if (roles.includes('worker')) {
      this.worker = new Worker(SEAL_QUEUE, () => this.sealer.sealDue(), { connection: this.connection, prefix, concurrency: 1 });
      this.worker.on('failed', (_job, error) => this.logger.error(`Audit block sealing failed: ${error.message}`));
      this.worker.on('error', (error) => this.logger.warn(`Audit seal worker: ${error.message}`));
    }
    if (roles.includes('scheduler')) {
      this.queue = new Queue(SEAL_QUEUE, { connection: this.connection, prefix });
      this.queue.on('error', (error) => this.logger.warn(`Audit seal queue: ${error.message}`));
      // Not awaited: with Redis down the replica still starts; BullMQ registers the schedule once Redis answers.
      this.queue
        .upsertJobScheduler(SCHEDULER_ID, { every: this.env.AUDIT_BLOCK_INTERVAL_MS }, { name: 'seal', opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } })
        .catch((error: Error) => this.logger.error(`Audit seal schedule not registered: ${error.message}`));
    }
  }

  /** The running seal finishes before any onApplicationShutdown (DbModule's ends the pool it uses). */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.worker) await settleWhileConnected(this.connection, this.worker.close());
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.queue) await settleWhileConnected(this.connection, this.queue.close());
    await closeQueueConnection(this.connection);
  }
}
