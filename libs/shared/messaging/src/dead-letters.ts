import { Inject, Injectable } from '@nestjs/common';
import { PG_POOL } from '@bitro/db';
import type { Pool } from 'pg';
import type { DomainEvent } from './event-handler';
import type { SignedMessage } from './message-signing';
import { deliveryJobId, MessagingQueues } from './messaging-queues';
import { pgTransaction } from './sql-executor';
import { SubscriberRegistry } from './subscriber-registry';

/** An event a consumer failed to handle after its last attempt, not resubmitted yet. */
export interface DeadLetter {
  id: string;
  consumer: string;
  event: DomainEvent;
  /** The last attempt's error message. */
  error: string;
  attempts: number;
  failedAt: string;
}

export class DeadLetterNotFoundError extends Error {
  override name = 'DeadLetterNotFoundError';
  constructor(readonly id: string) {
    super(`No unresolved dead letter ${id}.`);
  }
}

interface DeadLetterRow {
  id: string;
  consumer: string;
  event_id: string;
  event_name: string;
  payload: unknown;
  occurred_at: Date;
  error: string;
  attempts: number;
  failed_at: Date;
}

const COLUMNS = 'id, consumer, event_id, event_name, payload, occurred_at, error, attempts, failed_at';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const toEvent = (row: DeadLetterRow): DomainEvent => ({
  id: row.event_id,
  name: row.event_name,
  occurredAt: row.occurred_at.toISOString(),
  payload: row.payload,
});

/** Lists and resubmits dead letters (e.g. from an operator command, once the cause is fixed). */
@Injectable()
export class DeadLetters {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly queues: MessagingQueues,
    private readonly registry: SubscriberRegistry,
  ) {}

  /** Unresolved dead letters, oldest first. */
  async list(): Promise<DeadLetter[]> {
    const { rows } = await this.pool.query<DeadLetterRow>(
      `SELECT ${COLUMNS} FROM "messaging"."dead_letters" WHERE resubmitted_at IS NULL ORDER BY failed_at, id`,
    );
    return rows.map((row) => ({
      id: row.id,
      consumer: row.consumer,
      event: toEvent(row),
      error: row.error,
      attempts: row.attempts,
      failedAt: row.failed_at.toISOString(),
    }));
  }

  /**
   * Enqueues the event for its consumer again, with fresh attempts and a new job id, and marks the
   * dead letter resubmitted. Throws {@link DeadLetterNotFoundError} for an unknown or already resubmitted id.
   */
  async resubmit(id: string): Promise<void> {
    if (!UUID.test(id)) throw new DeadLetterNotFoundError(id);
    await pgTransaction(this.pool, async (tx) => {
      const [row] = await tx.$queryRawUnsafe<DeadLetterRow[]>(
        `UPDATE "messaging"."dead_letters" SET resubmitted_at = now() WHERE id = $1::uuid AND resubmitted_at IS NULL RETURNING ${COLUMNS}`,
        id,
      );
      if (!row) throw new DeadLetterNotFoundError(id);
      // If the commit fails after the enqueue, resubmitting again reuses the job id: BullMQ adds it once.
      const bridge = this.registry.bridge(row.consumer);
      if (bridge) {
        // The signed message as it came: verified again, so a resubmission cannot vouch for a forgery.
        await this.queues.deliver(bridge.queue, [{ jobId: `${row.event_id}.${row.id}`, name: row.event_name, data: row.payload as SignedMessage }]);
        return;
      }
      const subscription = this.registry.get(row.consumer);
      if (!subscription) throw new Error(`Dead letter ${id}: no event subscriber "${row.consumer}" in this application.`);
      const [publication] = await tx.$queryRawUnsafe<Array<{ deliveries: number }>>(
        `UPDATE "messaging"."publications" SET failed_at = NULL, delivered_at = now(), deliveries = deliveries + 1
          WHERE event_id = $1::uuid AND consumer = $2 AND completed_at IS NULL RETURNING deliveries - 1 AS deliveries`,
        row.event_id,
        row.consumer,
      );
      const jobId = publication ? deliveryJobId(row.event_id, row.consumer, publication.deliveries) : `${deliveryJobId(row.event_id, row.consumer)}.${row.id}`;
      // The consumer handles the committed event, whatever the payload kept here says.
      await this.queues.deliver(subscription.queue, [{ jobId, name: row.event_name, data: toEvent(row) }]);
    });
  }

  /** Resubmits every unresolved dead letter; returns how many. */
  async resubmitAll(): Promise<number> {
    const { rows } = await this.pool.query<{ id: string }>(
      'SELECT id FROM "messaging"."dead_letters" WHERE resubmitted_at IS NULL ORDER BY failed_at, id',
    );
    let resubmitted = 0;
    for (const { id } of rows) {
      try {
        await this.resubmit(id);
        resubmitted += 1;
      } catch (error) {
        // Resubmitted meanwhile by someone else.
        if (!(error instanceof DeadLetterNotFoundError)) throw error;
      }
    }
    return resubmitted;
  }
}
