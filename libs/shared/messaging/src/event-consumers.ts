import { Inject, Injectable, Logger } from '@nestjs/common';
import { PG_POOL } from '@bitro/db';
import { type Job, UnrecoverableError } from 'bullmq';
import type { Pool } from 'pg';
import type { DomainEvent } from './event-handler';
import { handleOnce } from './handle-once';
import { handlingCounters } from './handling-counters';
import { HandlingBatches, MAX_BATCH } from './handling-batches';
import { openMessage, takeIn } from './inbound-bridge';
import { type SignedMessage, signMessage, verifyMessage } from './message-signing';
import { MessagingQueues } from './messaging-queues';
import { acknowledgementQueueName, outboundConsumerName } from './messaging-routes';
import { Outbox } from './outbox';
import { Publications } from './publications';
import { type Bridge, SubscriberRegistry, type Subscription } from './subscriber-registry';

const CONCURRENCY = 4;
/**
 * A job whose worker died this many times while handling it (BullMQ found it stalled) is
 * dead-lettered instead of being tried again: it may be what kills the process. BullMQ itself
 * would fail it one stall later, without a dead letter.
 */
const MAX_STALLS = 2;
const NIL_UUID = '00000000-0000-0000-0000-000000000000';
/**
 * A worker renews its jobs' locks every LOCK_MS / 2; a job whose worker died is marked at a stall check and taken again
 * at the next one after its lock lapsed: within LOCK_MS + STALL_CHECK_MS, ~20 s. BullMQ's 30 s + 30 s would leave a
 * killed replica's jobs waiting a minute. 10 s + 10 s rather than 15 s + 5 s: the same bound with half the stall
 * checks, each a script of about eight Redis commands per queue, most of an idle process's Redis traffic (ADR 0039).
 */
const LOCK_MS = 10_000;
const STALL_CHECK_MS = 10_000;

/** What a failed job was about, for its dead letter. */
interface Failure {
  consumer: string;
  event: DomainEvent;
  /** What the dead letter keeps to resubmit: the event, or a bridge's signed message as it came. */
  payload: unknown;
  /** A local consumer's publication, marked failed so the sweeper leaves it to the operator. */
  publication: boolean;
}

/**
 * Runs each consumer's handlers (once per (event, consumer), retried with backoff, then dead-lettered), the bridges that
 * take in another process's messages, and the acknowledgements of this process's own outbound messages.
 */
@Injectable()
export class EventConsumers {
  private readonly logger = new Logger('EventConsumers');
  private readonly batches = new Map<string, HandlingBatches>();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly queues: MessagingQueues,
    private readonly registry: SubscriberRegistry,
    private readonly outbox: Outbox,
    private readonly publications: Publications,
  ) {}

  startWorkers(): void {
    const options = { concurrency: CONCURRENCY, maxStalledCount: MAX_STALLS, lockDuration: LOCK_MS, stalledInterval: STALL_CHECK_MS };
    for (const subscription of this.registry.all()) {
      this.batches.set(subscription.consumer, new HandlingBatches(subscription.subscriber));
      this.queues.startWorker<DomainEvent>(subscription.queue, (job) => this.guard(job, subscription.consumer, localFailure(subscription, job), () => this.handle(subscription, job)), {
        ...options,
        concurrency: MAX_BATCH,
      });
    }
    for (const bridge of this.registry.bridges()) {
      this.queues.startWorker<SignedMessage>(bridge.queue, (job) => this.guard(job, bridge.consumer, bridgeFailure(bridge, job), () => this.takeIn(bridge, job.data)), options);
    }
    for (const queue of this.registry.outboundQueues()) {
      this.queues.startWorker<SignedMessage>(acknowledgementQueueName(queue), (job) => this.acknowledged(queue, job.data), options);
    }
  }

  /** Runs `work` (which answers the name of the event it handled), counting and dead-lettering what it does. */
  private async guard(job: Job, consumer: string, failure: () => Failure, work: () => Promise<string>): Promise<void> {
    try {
      if (job.stalledCounter >= MAX_STALLS) throw new UnrecoverableError(`the worker stopped ${job.stalledCounter} times while handling this event`);
      handlingCounters.handled.inc({ consumer, event: await work() });
    } catch (error) {
      const { event } = failure();
      const final = error instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      handlingCounters.failed.inc({ consumer, event: event.name });
      if (final) handlingCounters.deadLettered.inc({ consumer, event: event.name });
      const message = `${consumer} failed to handle ${event.name} ${event.id} (attempt ${job.attemptsMade + 1})`;
      if (final) {
        this.logger.error(`${message}, dead-lettered: ${(error as Error).message}`);
        await this.deadLetter(job, failure(), error as Error).catch((recordError: Error) =>
          this.logger.error(`could not record the dead letter of job ${job.id} (it stays in BullMQ's failed set): ${recordError.message}`),
        );
      } else {
        this.logger.warn(`${message}, will retry: ${(error as Error).message}`);
      }
      throw error;
    }
  }

  /**
   * In a batch with the consumer's other running jobs; alone when its worker died while handling it before, so that a
   * delivery that kills the process does not take the stalls of a whole batch with it.
   */
  private async handle({ consumer, subscriber, handlers }: Subscription, job: Job<DomainEvent>): Promise<string> {
    const event = job.data;
    const handler = handlers.get(event.name);
    if (!handler) throw new UnrecoverableError(`consumer "${consumer}" has no handler for ${event.name}`);
    const batches = this.batches.get(consumer);
    await (job.stalledCounter > 0 || !batches ? handleOnce(subscriber, handler, event) : batches.handle(handler, event));
    return event.name;
  }

  /** Takes a message in, then acknowledges it to the sender (again, if it was a redelivery). */
  private async takeIn(bridge: Bridge, data: SignedMessage): Promise<string> {
    const event = openMessage(bridge, this.registry.secrets, data);
    await takeIn(this.pool, this.outbox, bridge, event);
    const ack = signMessage(this.registry.secrets, acknowledgementQueueName(bridge.queue), { eventId: event.id });
    await this.queues.deliver(acknowledgementQueueName(bridge.queue), [{ jobId: `ack.${event.id}`, name: 'ack', data: ack }], { removeOnComplete: true });
    return event.name;
  }

  private async acknowledged(queue: string, data: SignedMessage): Promise<void> {
    const body = verifyMessage(this.registry.secrets, acknowledgementQueueName(queue), data) as { eventId?: unknown };
    if (typeof body.eventId !== 'string') throw new UnrecoverableError('an acknowledgement without an event id');
    await this.publications.complete(body.eventId, outboundConsumerName(queue));
  }

  /** Recorded before BullMQ marks the job failed, so a crash in between loses nothing (the job id keeps it to one row). */
  private async deadLetter(job: Job, { consumer, event, payload, publication }: Failure, error: Error): Promise<void> {
    await this.pool.query(
      `WITH letter AS (
         INSERT INTO "messaging"."dead_letters" (job_id, event_id, event_name, consumer, payload, occurred_at, error, attempts)
         VALUES ($1, $2::uuid, $3, $4, $5::jsonb, $6::timestamptz, $7, $8)
         ON CONFLICT (job_id) DO UPDATE SET error = EXCLUDED.error, attempts = EXCLUDED.attempts, failed_at = now()
       )
       UPDATE "messaging"."publications" SET failed_at = now() WHERE $9 AND event_id = $2::uuid AND consumer = $4 AND completed_at IS NULL`,
      [job.id, event.id, event.name, consumer, JSON.stringify(payload), event.occurredAt, error.message, job.attemptsMade + 1, publication],
    );
  }
}

function localFailure(subscription: Subscription, job: Job<DomainEvent>): () => Failure {
  return () => ({ consumer: subscription.consumer, event: job.data, payload: job.data.payload, publication: true });
}

/** A bridge's dead letter keeps the signed message as it came, so a resubmission is verified again. */
function bridgeFailure(bridge: Bridge, job: Job<SignedMessage>): () => Failure {
  return () => {
    let event: DomainEvent = { id: NIL_UUID, name: 'unreadable', occurredAt: new Date().toISOString(), payload: null };
    try {
      const body = JSON.parse(job.data.body) as Partial<DomainEvent>;
      const id = typeof body.id === 'string' && /^[0-9a-f-]{36}$/i.test(body.id) ? body.id : NIL_UUID;
      const occurredAt = typeof body.occurredAt === 'string' && !Number.isNaN(Date.parse(body.occurredAt)) ? body.occurredAt : event.occurredAt;
      event = { id, name: typeof body.name === 'string' ? body.name : 'unreadable', occurredAt, payload: body.payload };
    } catch {
      // Not JSON at all: recorded as unreadable.
    }
    return { consumer: bridge.consumer, event, payload: job.data, publication: false };
  };
}
