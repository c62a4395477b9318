import { randomUUID } from 'node:crypto';
import { currentCorrelationId, currentTraceCarrier } from '@bitro/tracing';
import type { z } from 'zod';
import type { SqlExecutor } from './sql-executor';

/** Structurally the same as service-api's EventContract (shared libs cannot import service-api). */
export interface EventContractLike<P extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly payload: P;
}

/** An event as it travels: envelope plus payload. */
export interface DomainEvent<P = unknown> {
  id: string;
  name: string;
  occurredAt: string;
  payload: P;
  /** W3C trace context of the work that produced the event (absent while untraced, and in older events). */
  traceparent?: string;
  tracestate?: string;
  /** The id of the request that caused the event, travelling on to its consumers (absent in older events). */
  correlationId?: string;
}

/** The trace context and correlation id of the work in progress, as an event carries them. */
export function envelopeOfCurrentWork(): Pick<DomainEvent, 'traceparent' | 'tracestate' | 'correlationId'> {
  const { traceparent, tracestate } = currentTraceCarrier();
  const correlationId = currentCorrelationId();
  return { ...(traceparent && { traceparent }), ...(tracestate && { tracestate }), ...(correlationId && { correlationId }) };
}

/**
 * A new event of `contract`: a fresh id, `occurredAt` (default now), the payload validated (throws if invalid), and the
 * trace context and correlation id of the work that creates it.
 */
export function newEvent<C extends EventContractLike>(contract: C, payload: z.input<C['payload']>, occurredAt = new Date()): DomainEvent<z.output<C['payload']>> {
  const event = { id: randomUUID(), name: contract.name, occurredAt: occurredAt.toISOString(), payload: contract.payload.parse(payload) as z.output<C['payload']> };
  return { ...event, ...envelopeOfCurrentWork() };
}

export interface EventHandler<C extends EventContractLike = EventContractLike> {
  event: C;
  handle(event: DomainEvent<z.output<C['payload']>>, tx: SqlExecutor): Promise<void>;
}

/** Builds a typed handler: `on(redemptionApprovedV1, async (event, tx) => ...)`. */
export function on<C extends EventContractLike>(event: C, handle: EventHandler<C>['handle']): EventHandler<C> {
  return { event, handle };
}

/**
 * `on` for a consumer whose `transaction()` opens the domain's own transaction type: the one way a handler reaches
 * its transaction. `const onTx = handlersIn<WalletTx>();` then `onTx(redemptionApprovedV1, (event, tx) => ...)`.
 */
export function handlersIn<Tx>() {
  return <C extends EventContractLike>(event: C, handle: (event: DomainEvent<z.output<C['payload']>>, tx: Tx) => Promise<void>): EventHandler<C> =>
    on(event, (domainEvent, tx) => handle(domainEvent, tx as Tx));
}
