import { Inject, Injectable, Logger } from '@nestjs/common';
import { PG_POOL } from '@bitro/db';
import { type Job, UnrecoverableError } from 'bullmq';
import type { Pool } from 'pg';
import { z } from 'zod';
import type { DomainEvent } from './event-handler';
import { handleOnce } from './handle-once';
import { MessagingQueues } from './messaging-queues';
import { SubscriberRegistry, type Subscription } from './subscriber-registry';

const CONCURRENCY = 4;
/**
 * A job whose worker died this many times while handling it (BullMQ found it stalled) is
 * dead-lettered instead of being tried again: it may be what kills the process. BullMQ itself
 * would fail it one stall later, without a dead letter.
 */
const MAX_STALLS = 2;

/** Runs each consumer's handlers: once per (event, consumer), retried with backoff, then dead-lettered. */
@Injectable()
export class EventConsumers {
  private readonly logger = new Logger('EventConsumers');

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly queues: MessagingQueues,
    private readonly registry: SubscriberRegistry,
  ) {}

  startWorkers(): void {
    for (const subscription of this.registry.all()) {
      this.queues.startWorker<DomainEvent>(subscription.queue, (job) => this.process(subscription, job), {
        concurrency: CONCURRENCY,
        maxStalledCount: MAX_STALLS,
      });
    }
  }

  private async process(subscription: Subscription, job: Job<DomainEvent>): Promise<void> {
    try {
      if (job.stalledCounter >= MAX_STALLS) throw new UnrecoverableError(`the worker stopped ${job.stalledCounter} times while handling this event`);
      await this.handle(subscription, job.data);
    } catch (error) {
      const final = error instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const message = `${subscription.consumer} failed to handle ${job.data.name} ${job.data.id} (attempt ${job.attemptsMade + 1})`;
      if (final) {
        this.logger.error(`${message}, dead-lettered: ${(error as Error).message}`);
        await this.deadLetter(subscription.consumer, job, error as Error).catch((recordError: Error) =>
          this.logger.error(`could not record the dead letter of job ${job.id} (it stays in BullMQ's failed set): ${recordError.message}`),
        );
      } else {
        this.logger.warn(`${message}, will retry: ${(error as Error).message}`);
      }
      throw error;
    }
  }

  private async handle({ consumer, subscriber, handlers }: Subscription, event: DomainEvent): Promise<void> {
    const handler = handlers.get(event.name);
    if (!handler) throw new UnrecoverableError(`consumer "${consumer}" has no handler for ${event.name}`);
    const payload = handler.event.payload.safeParse(event.payload);
    if (!payload.success) throw new UnrecoverableError(`payload does not match ${event.name}: ${z.prettifyError(payload.error)}`);
    await handleOnce(subscriber, handler, { ...event, payload: payload.data });
  }

  /** Recorded before BullMQ marks the job failed, so a crash in between loses nothing (the job id keeps it to one row). */
  private async deadLetter(consumer: string, job: Job<DomainEvent>, error: Error): Promise<void> {
    const event = job.data;
    await this.pool.query(
      `INSERT INTO "messaging"."dead_letters" (job_id, event_id, event_name, consumer, payload, occurred_at, error, attempts)
       VALUES ($1, $2::uuid, $3, $4, $5::jsonb, $6::timestamptz, $7, $8)
       ON CONFLICT (job_id) DO UPDATE SET error = EXCLUDED.error, attempts = EXCLUDED.attempts, failed_at = now()`,
      [job.id, event.id, event.name, consumer, JSON.stringify(event.payload), event.occurredAt, error.message, job.attemptsMade + 1],
    );
  }
}
