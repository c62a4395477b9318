import { UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import { inSpan, SpanKind, withCorrelationId } from '@bitro/tracing';
import type { DomainEvent, EventHandler } from './event-handler';
import { eventOfRow } from './outbox-row';
import type { EventSubscriber } from './event-subscriber';
import { queryNamed, type SqlExecutor } from './sql-executor';

/**
 * One statement for a batch of deliveries of one consumer: claims their inbox rows, completes their publications (also
 * when an event had been handled: a redelivery heals a publication its first handling could not complete) and reads
 * each COMMITTED event from the outbox, with whether the delivered payload is the committed one.
 *
 * Written so that even a generic plan made while the tables were small probes the primary keys per event: the planner
 * takes `jsonb_to_recordset` for 100 rows, and with a join on it (or without `event_id = ANY($3)`) it planned hash joins
 * over whole tables, a cost that grew with the outbox and the backlog until the next ANALYZE. The outbox is read
 * through a LATERAL ... LIMIT 1 (a nested loop on its key); publications by `(event_id, consumer)`, without
 * `completed_at IS NULL`, which would make the index of incomplete publications (the whole backlog) a candidate.
 */
const CLAIM = {
  name: 'messaging.inbox-claim',
  text: `
  WITH delivered AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS d(id uuid, name text, payload jsonb)
  ), claim AS (
    INSERT INTO "messaging"."inbox" (event_id, consumer, event_name) SELECT id, $2, name FROM delivered ON CONFLICT DO NOTHING RETURNING event_id
  ), done AS (
    UPDATE "messaging"."publications" SET completed_at = COALESCE(completed_at, now()) WHERE event_id = ANY($3::uuid[]) AND consumer = $2
  )
  SELECT d.id::text AS id, o.payload, o.name, o.occurred_at, o.traceparent, o.tracestate, o.correlation_id, o.payload = d.payload AS matches,
         EXISTS (SELECT 1 FROM claim WHERE claim.event_id = d.id) AS claimed
    FROM delivered d LEFT JOIN LATERAL (SELECT * FROM "messaging"."outbox" WHERE id = d.id LIMIT 1) o ON true`,
};

interface ClaimRow {
  id: string;
  payload: unknown;
  name: string | null;
  occurred_at: Date | null;
  traceparent: string | null;
  tracestate: string | null;
  correlation_id: string | null;
  matches: boolean | null;
  claimed: boolean;
}

/** A delivery that matches no committed event: whoever enqueued it did not go through an outbox. */
export class UncommittedEventError extends UnrecoverableError {
  override name = 'UncommittedEventError';
}

/** One delivery to a subscriber: the event as the queue carried it, and the subscriber's handler for it. */
export interface HandlerDelivery {
  handler: EventHandler;
  event: DomainEvent;
}

/**
 * In ONE transaction of the subscriber, for deliveries of distinct events: the inbox rows first (a redelivered event
 * finds its row and is skipped), then each handler in turn, given its event as committed in the outbox, never the
 * queue's copy: a job that does not match a committed outbox row (id, name and payload) is refused, so nobody can mint
 * an event through Redis. Answers, per delivery, false when the event had been handled already. Any failure rolls back
 * every delivery of the batch.
 */
export function handleTogether(subscriber: EventSubscriber, deliveries: readonly HandlerDelivery[]): Promise<boolean[]> {
  if (new Set(deliveries.map(({ event }) => event.id.toLowerCase())).size < deliveries.length) throw new Error('a batch must not hold one event twice');
  return subscriber.transaction(async (tx) => {
    const delivered = deliveries.map(({ event }) => ({ id: event.id, name: event.name, payload: event.payload }));
    const rows = await queryNamed<ClaimRow>(tx, CLAIM, [JSON.stringify(delivered), subscriber.consumer, delivered.map((event) => event.id)]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    const handled: boolean[] = [];
    for (const { handler, event } of deliveries) {
      const row = byId.get(event.id.toLowerCase());
      if (!row || row.name !== event.name || !row.occurred_at) throw new UncommittedEventError(`no committed ${event.name} ${event.id} in the outbox`);
      if (!row.matches) throw new UncommittedEventError(`the payload of ${event.name} ${event.id} differs from the committed event`);
      handled.push(row.claimed);
      if (!row.claimed) continue;
      const payload = handler.event.payload.safeParse(row.payload);
      if (!payload.success) throw new UnrecoverableError(`payload does not match ${event.name}: ${z.prettifyError(payload.error)}`);
      const committed = eventOfRow({ ...row, id: event.id, name: row.name, occurred_at: row.occurred_at, payload: payload.data });
      await handleTraced(subscriber.consumer, committed, deliveries.length, () => handler.handle(committed, tx));
    }
    return handled;
  });
}

/**
 * A handling under the event's correlation id and, while tracing, in a span of its own that continues the event's trace
 * (each delivery of a batch gets one: they belong to different traces; the batch's size is an attribute).
 */
function handleTraced(consumer: string, event: DomainEvent, batchSize: number, work: () => Promise<void>): Promise<void> {
  return withCorrelationId(event.correlationId, () =>
    inSpan(
      `process ${event.name}`,
      {
        kind: SpanKind.CONSUMER,
        parent: { traceparent: event.traceparent, tracestate: event.tracestate },
        attributes: { 'messaging.operation.type': 'process', 'messaging.destination.name': event.name, 'messaging.consumer.group.name': consumer, 'messaging.message.id': event.id, 'messaging.batch.message_count': batchSize },
      },
      work,
    ),
  );
}

/** {@link handleTogether} for one delivery: false when the event had been handled already. */
export async function handleOnce(subscriber: EventSubscriber, handler: EventHandler, event: DomainEvent): Promise<boolean> {
  const [handled] = await handleTogether(subscriber, [{ handler, event }]);
  return handled as boolean;
}

/** Appends an event as committed (keeping its id) with a publication for `consumer`: what the relay would have done. */
async function publish(tx: SqlExecutor, event: DomainEvent, consumer: string): Promise<void> {
  await tx.$executeRawUnsafe(
    `INSERT INTO "messaging"."outbox" (id, name, payload, occurred_at, published_at) VALUES ($1::uuid, $2, $3::jsonb, $4::timestamptz, now())
     ON CONFLICT (id) DO NOTHING`,
    event.id,
    event.name,
    JSON.stringify(event.payload),
    event.occurredAt,
  );
  await tx.$executeRawUnsafe(
    'INSERT INTO "messaging"."publications" (event_id, consumer, event_name) VALUES ($1::uuid, $2, $3) ON CONFLICT DO NOTHING',
    event.id,
    consumer,
    event.name,
  );
}

/**
 * Hands an event to a subscriber exactly as the consumer workers do, without a queue: the event is committed to the
 * outbox first (as its producer would have), then {@link handleOnce}. For tests of a domain's handlers. Throws when the
 * subscriber has no handler for it.
 */
export async function deliverEvent(subscriber: EventSubscriber, event: DomainEvent): Promise<boolean> {
  const handler = subscriber.handlers.find((candidate) => candidate.event.name === event.name);
  if (!handler) throw new Error(`Consumer "${subscriber.consumer}" does not subscribe to ${event.name}`);
  const committed = { ...event, payload: handler.event.payload.parse(event.payload) };
  await subscriber.transaction((tx) => publish(tx, committed, subscriber.consumer));
  return handleOnce(subscriber, handler, committed);
}
