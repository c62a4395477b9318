import { Injectable } from '@nestjs/common';
import type { z } from 'zod';
import { endSpan, SpanKind, startSpan, withSpan } from '@bitro/tracing';
import { type DomainEvent, type EventContractLike, envelopeOfCurrentWork, newEvent } from './event-handler';
import { executeNamed, type NamedStatement, type SqlExecutor } from './sql-executor';

const INSERT = `INSERT INTO "messaging"."outbox" (id, name, payload, occurred_at, traceparent, tracestate, correlation_id)
  VALUES ($1::uuid, $2, $3::jsonb, $4::timestamptz, $5, $6, $7)`;

const APPEND = { name: 'messaging.outbox-append', text: INSERT };
const APPEND_RECEIVED = { name: 'messaging.outbox-append-received', text: `${INSERT} ON CONFLICT (id) DO NOTHING` };

const insert = (tx: SqlExecutor, statement: NamedStatement, event: DomainEvent) =>
  executeNamed(tx, statement, [event.id, event.name, JSON.stringify(event.payload), event.occurredAt, event.traceparent ?? null, event.tracestate ?? null, event.correlationId ?? null]);

/** Writes domain events into the outbox table, inside the caller's transaction. */
@Injectable()
export class Outbox {
  /** Validates the payload with the contract's schema (throws on invalid) and inserts the event; published once `tx` commits. */
  async append<C extends EventContractLike>(tx: SqlExecutor, contract: C, payload: z.input<C['payload']>): Promise<DomainEvent<z.output<C['payload']>>> {
    // The event carries this span's context: its consumers' spans are its children, in whichever process.
    const span = startSpan(`create ${contract.name}`, { kind: SpanKind.PRODUCER, attributes: { 'messaging.operation.type': 'create', 'messaging.destination.name': contract.name } });
    try {
      const event = withSpan(span, () => newEvent(contract, payload));
      span?.span.setAttribute('messaging.message.id', event.id);
      await insert(tx, APPEND, event);
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
    await insert(tx, APPEND_RECEIVED, carried);
  }
}
