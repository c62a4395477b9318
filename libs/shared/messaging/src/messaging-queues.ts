import { Inject, Injectable, Logger } from '@nestjs/common';
import { MESSAGING_SETTINGS, type MessagingSettings } from '@bitro/config';
import { type Job, Queue, Worker } from 'bullmq';
import { closeQueueConnection, createQueueConnection, settleWhileConnected } from '@bitro/db';
import type { Redis } from 'ioredis';
import type { DomainEvent } from './event-handler';
import type { SignedMessage } from './message-signing';
import { throttled } from './throttled';

export const consumerQueueName = (consumer: string) => `messaging-consumer-${consumer}`;
/** BullMQ rejects custom job ids with a single ':', hence '.'. The n-th redelivery gets `.r<n>`, so a lost or failed job is not in its way. */
export const deliveryJobId = (eventId: string, consumer: string, redelivery = 0) => `${eventId}.${consumer}${redelivery > 0 ? `.r${redelivery}` : ''}`;

/** A job: a local consumer's event, or a signed message to or from another process. */
export interface Delivery {
  jobId: string;
  name: string;
  data: DomainEvent | SignedMessage;
}

/**
 * Queue commands wait for Redis while it is away (BullMQ's connections retry forever); the relay and the sweeper must
 * not hold their transaction that long: they give up, roll back and try again later.
 */
const COMMAND_TIMEOUT_MS = 10_000;

async function withinTimeout<T>(what: string, operation: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      operation,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Redis did not answer ${what} within ${COMMAND_TIMEOUT_MS} ms`)), COMMAND_TIMEOUT_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * How long (seconds) an idle worker's blocking read waits before it asks again: a new job wakes it at once whatever
 * this is, so it only paces idle polling. BullMQ's default is 5; 10 is the longest it blocks a read for (longer ones
 * risk hanging across a reconnection), and its watchdog re-arms a stuck read one second after it.
 */
export const WORKER_DRAIN_DELAY_S = 10;

/** A job that is still going to run (or running): redelivering it would only double it. */
const PENDING_STATES = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

/**
 * The BullMQ queues and workers of messaging, on Redis connections of their own (BullMQ needs
 * `maxRetriesPerRequest: null`), created on first use so an http-only process opens none.
 */
@Injectable()
export class MessagingQueues {
  private readonly logger = new Logger('Messaging');
  private connection: Redis | undefined;
  private readonly queues = new Map<string, Queue>();
  private readonly workers: Worker[] = [];
  private readonly logThrottled = throttled(10_000);

  constructor(@Inject(MESSAGING_SETTINGS) private readonly settings: MessagingSettings) {}

  /** Every key under the deployment's (or test file's) REDIS_KEY_PREFIX. */
  private get prefix(): string {
    return `${this.settings.keyPrefix}bull`;
  }

  queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.redis(), prefix: this.prefix });
      queue.on('error', (error) => this.logError(`queue ${name}`, error));
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** Enqueues deliveries on a queue with the retry policy; a job id already in the queue is not added again. */
  async deliver(queueName: string, deliveries: readonly Delivery[], options: { removeOnComplete?: true } = {}): Promise<void> {
    if (deliveries.length === 0) return;
    await withinTimeout(`adding jobs to ${queueName}`, this.queue(queueName).addBulk(
      deliveries.map(({ jobId, name, data }) => ({
        name,
        data,
        opts: {
          jobId,
          attempts: this.settings.maxAttempts,
          backoff: { type: 'exponential', delay: this.settings.backoffMs },
          // Completed jobs stay a while so that a re-published event is deduplicated by its job id;
          // failed ones are kept for inspection (the dead-letter table is what counts).
          removeOnComplete: options.removeOnComplete ?? { age: 3_600, count: 10_000 },
          removeOnFail: { age: 7 * 24 * 3_600, count: 10_000 },
        },
      })),
    ));
  }

  /** Whether the job is queued, delayed or running (not completed, failed, or lost with Redis's data). */
  async isPending(queueName: string, jobId: string): Promise<boolean> {
    return PENDING_STATES.has(await withinTimeout(`the state of job ${jobId}`, this.queue(queueName).getJobState(jobId)));
  }

  startWorker<T>(name: string, process: (job: Job<T>) => Promise<void>, options: { concurrency: number; maxStalledCount?: number; lockDuration?: number; stalledInterval?: number }): void {
    // The worker shares this connection for commands and duplicates it for its blocking reads (and closes that copy).
    const worker = new Worker<T>(name, process, { connection: this.redis(), prefix: this.prefix, drainDelay: WORKER_DRAIN_DELAY_S, ...options });
    worker.on('error', (error) => this.logError(`worker ${name}`, error));
    this.workers.push(worker);
  }

  /** Stops fetching jobs and waits for the running ones. */
  async stopWorkers(): Promise<void> {
    const workers = this.workers.splice(0);
    await settleWhileConnected(this.connection, Promise.allSettled(workers.map((worker) => worker.close())));
  }

  async close(): Promise<void> {
    await this.stopWorkers();
    const queues = [...this.queues.values()];
    this.queues.clear();
    await settleWhileConnected(this.connection, Promise.allSettled(queues.map((queue) => queue.close())));
    await closeQueueConnection(this.connection);
    this.connection = undefined;
  }

  private redis(): Redis {
    this.connection ??= createQueueConnection(this.settings.redisUrl, (error) => this.logError('redis', error));
    return this.connection;
  }

  private logError(source: string, error: Error): void {
    // Connection errors repeat on every reconnection attempt.
    this.logThrottled(() => this.logger.warn(`${source}: ${error.message}`));
  }
}
