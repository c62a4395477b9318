import { inSpan, SpanKind, withCorrelationId } from '@bitro/tracing';
import { UnrecoverableError } from 'bullmq';
import type { Pool } from 'pg';
import { z } from 'zod';
import type { DomainEvent } from './event-handler';
import { UnverifiedMessageError, verifyMessage } from './message-signing';
import type { Outbox } from './outbox';
import { pgTransaction } from './sql-executor';
import type { Bridge } from './subscriber-registry';

const envelope = z.object({
  id: z.uuid(),
  name: z.string(),
  occurredAt: z.iso.datetime({ offset: true }),
  payload: z.unknown(),
  // Observability only: a garbled one is dropped rather than refusing the event.
  traceparent: z.string().max(128).optional().catch(undefined),
  tracestate: z.string().max(512).optional().catch(undefined),
  correlationId: z.string().max(128).optional().catch(undefined),
});

/** The event a signed message carries, checked against its signature, the envelope and the event's contract. */
export function openMessage(bridge: Bridge, secrets: readonly string[], data: unknown): DomainEvent {
  let body: unknown;
  try {
    body = verifyMessage(secrets, bridge.queue, data);
  } catch (error) {
    if (error instanceof UnverifiedMessageError) throw new UnrecoverableError(error.message);
    throw error;
  }
  const event = envelope.safeParse(body);
  if (!event.success) throw new UnrecoverableError(`not an event: ${z.prettifyError(event.error)}`);
  const contract = bridge.contracts.get(event.data.name);
  if (!contract) throw new UnrecoverableError(`consumer "${bridge.consumer}" has no handler for ${event.data.name}`);
  const payload = contract.payload.safeParse(event.data.payload);
  if (!payload.success) throw new UnrecoverableError(`payload does not match ${event.data.name}: ${z.prettifyError(payload.error)}`);
  return { ...event.data, payload: payload.data };
}

/**
 * Appends a received event to the local outbox under its own id (a no-op the second time), with the bridge's inbox row,
 * in one transaction; from there it reaches the local subscribers like a local event.
 */
export async function takeIn(pool: Pool, outbox: Outbox, bridge: Bridge, event: DomainEvent): Promise<void> {
  const span = { kind: SpanKind.CONSUMER, parent: { traceparent: event.traceparent, tracestate: event.tracestate } };
  const attributes = { 'messaging.operation.type': 'receive', 'messaging.destination.name': bridge.queue, 'messaging.message.id': event.id };
  await withCorrelationId(event.correlationId, () => inSpan(`receive ${event.name}`, { ...span, attributes }, () => appendTakenIn(pool, outbox, bridge, event)));
}

function appendTakenIn(pool: Pool, outbox: Outbox, bridge: Bridge, event: DomainEvent): Promise<void> {
  return pgTransaction(pool, async (tx) => {
    await tx.$executeRawUnsafe(
      'INSERT INTO "messaging"."inbox" (event_id, consumer, event_name) VALUES ($1::uuid, $2, $3) ON CONFLICT DO NOTHING',
      event.id,
      bridge.consumer,
      event.name,
    );
    await outbox.appendReceived(tx, event);
  });
}
