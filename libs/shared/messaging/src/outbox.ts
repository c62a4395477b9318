import { Injectable } from '@nestjs/common';
import type { z } from 'zod';
import { endSpan, SpanKind, startSpan, withSpan } from '@bitro/tracing';
import { type DomainEvent, type EventContractLike, envelopeOfCurrentWork, newEvent } from './event-handler';
import { CommitBatch, executeNamed, type SqlExecutor } from './sql-executor';

/**
 * The events of one transaction, in one statement. `ON CONFLICT DO NOTHING` is for events received from another process
 * (appending one again does nothing); an event created here has a new random id.
 */
const APPEND = {
  name: 'messaging.outbox-append',
  text: `INSERT INTO "messaging"."outbox" (id, name, payload, occurred_at, traceparent, tracestate, correlation_id)
    SELECT * FROM unnest($1::uuid[], $2::text[], $3::jsonb[], $4::timestamptz[], $5::text[], $6::text[], $7::text[])
    ON CONFLICT (id) DO NOTHING`,
};

const insert = (tx: SqlExecutor, events: readonly DomainEvent[]) =>
  executeNamed(tx, APPEND, [
    events.map((event) => event.id),
    events.map((event) => event.name),
    events.map((event) => JSON.stringify(event.payload)),
    events.map((event) => event.occurredAt),
    events.map((event) => event.traceparent ?? null),
    events.map((event) => event.tracestate ?? null),
    events.map((event) => event.correlationId ?? null),
  ]);

/**
 * Writes domain events into the outbox table, inside the caller's transaction. In a `pgTransaction` the events of the
 * transaction are written together, in one statement just before it commits (a consumer's batch of credits writes two
 * events each); in any other transaction (Prisma's), each at once.
 */
@Injectable()
export class Outbox {
  private readonly batch = new CommitBatch<DomainEvent>(insert);

  /** Validates the payload with the contract's schema (throws on invalid) and inserts the event; published once `tx` commits. */
  async append<C extends EventContractLike>(tx: SqlExecutor, contract: C, payload: z.input<C['payload']>): Promise<DomainEvent<z.output<C['payload']>>> {
    // The event carries this span's context: its consumers' spans are its children, in whichever process.
    const span = startSpan(`create ${contract.name}`, { kind: SpanKind.PRODUCER, attributes: { 'messaging.operation.type': 'create', 'messaging.destination.name': contract.name } });
    try {
      const event = withSpan(span, () => newEvent(contract, payload));
      span?.span.setAttribute('messaging.message.id', event.id);
      await this.batch.add(tx, event);
      endSpan(span);
      return event;
    } catch (error) {
      endSpan(span, error);
      throw error;
    }
  }

  /**
   * Appends an event received from another process, keeping its id: appending it again does nothing. It carries the
   * active span's context (the receiving one) while tracing, else the sender's; the sender's correlation id always.
   */
  async appendReceived(tx: SqlExecutor, event: DomainEvent): Promise<void> {
    const { traceparent, tracestate } = envelopeOfCurrentWork();
    const carried = traceparent ? { ...event, traceparent, tracestate } : event;
    await this.batch.add(tx, carried);
  }
}
