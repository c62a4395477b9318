import { UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import type { DomainEvent, EventHandler } from './event-handler';
import type { EventSubscriber } from './event-subscriber';
import type { SqlExecutor } from './sql-executor';

/**
 * One statement: claims the inbox row, completes the publication (also when the event had been handled: a redelivery
 * heals a publication its first handling could not complete) and reads the COMMITTED event from the outbox, with
 * whether the delivered payload is the committed one.
 */
const CLAIM = `
  WITH claim AS (
    INSERT INTO "messaging"."inbox" (event_id, consumer, event_name) VALUES ($1::uuid, $2, $3) ON CONFLICT DO NOTHING RETURNING event_id
  ), done AS (
    UPDATE "messaging"."publications" SET completed_at = now() WHERE event_id = $1::uuid AND consumer = $2 AND completed_at IS NULL
  )
  SELECT o.payload, o.name, o.occurred_at, o.payload = $4::jsonb AS matches, EXISTS (SELECT 1 FROM claim) AS claimed
    FROM "messaging"."outbox" o WHERE o.id = $1::uuid`;

interface ClaimRow {
  payload: unknown;
  name: string;
  occurred_at: Date;
  matches: boolean;
  claimed: boolean;
}

/** A delivery that matches no committed event: whoever enqueued it did not go through an outbox. */
export class UncommittedEventError extends UnrecoverableError {
  override name = 'UncommittedEventError';
}

/**
 * In the subscriber's transaction: the inbox row first (a redelivered event finds it and stops), then the handler,
 * which is given the event as committed in the outbox, never the queue's copy: a job that does not match a committed
 * outbox row (id, name and payload) is refused, so nobody can mint an event through Redis. False when the event had
 * been handled already.
 */
export function handleOnce(subscriber: EventSubscriber, handler: EventHandler, event: DomainEvent): Promise<boolean> {
  return subscriber.transaction(async (tx) => {
    const [row] = await tx.$queryRawUnsafe<ClaimRow[]>(CLAIM, event.id, subscriber.consumer, event.name, JSON.stringify(event.payload));
    if (!row || row.name !== event.name) throw new UncommittedEventError(`no committed ${event.name} ${event.id} in the outbox`);
    if (!row.matches) throw new UncommittedEventError(`the payload of ${event.name} ${event.id} differs from the committed event`);
    if (!row.claimed) return false;
    const payload = handler.event.payload.safeParse(row.payload);
    if (!payload.success) throw new UnrecoverableError(`payload does not match ${event.name}: ${z.prettifyError(payload.error)}`);
    await handler.handle({ id: event.id, name: row.name, occurredAt: row.occurred_at.toISOString(), payload: payload.data }, tx);
    return true;
  });
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
