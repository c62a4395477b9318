import type { DomainEvent, EventHandler } from './event-handler';
import type { EventSubscriber } from './event-subscriber';

/**
 * In the subscriber's transaction: the inbox row first (a redelivered event finds it and stops), then the handler.
 * `event.payload` must already be parsed by the handler's contract. False when the event had been handled already.
 */
export function handleOnce(subscriber: EventSubscriber, handler: EventHandler, event: DomainEvent): Promise<boolean> {
  return subscriber.transaction(async (tx) => {
    const claimed = await tx.$executeRawUnsafe(
      'INSERT INTO "messaging"."inbox" (event_id, consumer, event_name) VALUES ($1::uuid, $2, $3) ON CONFLICT DO NOTHING',
      event.id,
      subscriber.consumer,
      event.name,
    );
    if (claimed === 0) return false;
    await handler.handle(event, tx);
    return true;
  });
}

/**
 * Hands an event to a subscriber exactly as the consumer workers do (its contract validates the payload, then
 * {@link handleOnce}), without a queue: for tests of a domain's handlers. Throws when the subscriber has no handler for it.
 */
export function deliverEvent(subscriber: EventSubscriber, event: DomainEvent): Promise<boolean> {
  const handler = subscriber.handlers.find((candidate) => candidate.event.name === event.name);
  if (!handler) throw new Error(`Consumer "${subscriber.consumer}" does not subscribe to ${event.name}`);
  return handleOnce(subscriber, handler, { ...event, payload: handler.event.payload.parse(event.payload) });
}
