import type { DomainEvent } from './event-handler';

/** An outbox row as the relay and the sweeper read it. */
export interface OutboxRow {
  id: string;
  name: string;
  payload: unknown;
  occurred_at: Date;
  traceparent: string | null;
  tracestate: string | null;
  correlation_id: string | null;
}

export const OUTBOX_ROW_COLUMNS = 'id, name, payload, occurred_at, traceparent, tracestate, correlation_id';

/** The event a row holds, with its envelope: what goes to the consumers' queues and, signed, to the other process. */
export function eventOfRow(row: OutboxRow): DomainEvent {
  return {
    id: row.id,
    name: row.name,
    occurredAt: row.occurred_at.toISOString(),
    payload: row.payload,
    ...(row.traceparent && { traceparent: row.traceparent }),
    ...(row.tracestate && { tracestate: row.tracestate }),
    ...(row.correlation_id && { correlationId: row.correlation_id }),
  };
}
