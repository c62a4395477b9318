import { type BeforeApplicationShutdown, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { MessagingSettings } from '@bitro/config';
import { closeQueueConnection, createQueueConnection, Poller, settleWhileConnected } from '@bitro/db';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { ensureJobScheduler, SCHEDULE_CHECK_MS } from './job-schedules';
import { WORKER_DRAIN_DELAY_S } from './messaging-queues';

export interface RepeatingJobOptions {
  /** The BullMQ queue of the runs. */
  queue: string;
  schedulerId: string;
  everyMs: number;
  /** Log lines start with it, e.g. `Redemption retry`. */
  label: string;
  /** Logger context, e.g. the domain. */
  context: string;
  /** One run; runs never overlap within a replica (concurrency 1). */
  run(): Promise<unknown>;
}

/**
 * Work repeated every `everyMs` across replicas: a BullMQ job scheduler (role `scheduler`) enqueues the runs, a worker
 * (role `worker`) performs them one at a time. Every scheduler replica checks every few seconds that the job scheduler
 * is still in Redis and re-creates it if Redis lost it. A domain's job extends it as a Nest provider; the lifecycle
 * hooks are here.
 */
export abstract class RepeatingJob implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger: Logger;
  private connection: Redis | undefined;
  private queue: Queue | undefined;
  private worker: Worker | undefined;
  private scheduleKeeper: Poller | undefined;

  protected constructor(
    private readonly settings: MessagingSettings,
    private readonly options: RepeatingJobOptions,
  ) {
    this.logger = new Logger(options.context);
  }

  onApplicationBootstrap(): void {
    const { queue, schedulerId, everyMs, label, run } = this.options;
    const prefix = `${this.settings.keyPrefix}bull`;
    if (this.settings.worker) {
      this.worker = new Worker(queue, () => run(), { connection: this.connect(), prefix, concurrency: 1, drainDelay: WORKER_DRAIN_DELAY_S });
      this.worker.on('failed', (_job, error) => this.logger.error(`${label} run failed: ${error.message}`));
      this.worker.on('error', (error) => this.logger.warn(`${label} worker: ${error.message}`));
    }
    if (this.settings.scheduler) {
      const queueRef = new Queue(queue, { connection: this.connect(), prefix });
      queueRef.on('error', (error) => this.logger.warn(`${label} queue: ${error.message}`));
      this.queue = queueRef;
      // With Redis down the replica still starts; the keeper registers the schedule once Redis answers.
      this.scheduleKeeper = new Poller({
        name: `${this.options.context} ${label} schedule`,
        intervalMs: SCHEDULE_CHECK_MS,
        run: () => ensureJobScheduler(queueRef, schedulerId, everyMs, this.logger),
      });
      this.scheduleKeeper.start();
    }
  }

  /** The running run finishes before any onApplicationShutdown (DbModule's ends the pool it uses). */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.worker) await settleWhileConnected(this.connection, this.worker.close());
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.scheduleKeeper) await settleWhileConnected(this.connection, this.scheduleKeeper.stop());
    if (this.queue) await settleWhileConnected(this.connection, this.queue.close());
    await closeQueueConnection(this.connection);
  }

  /** One connection for the queue and the worker (which duplicates it for its blocking reads). */
  private connect(): Redis {
    // Errors are reported through the queue's and the worker's 'error' events.
    this.connection ??= createQueueConnection(this.settings.redisUrl, () => undefined);
    return this.connection;
  }
}
