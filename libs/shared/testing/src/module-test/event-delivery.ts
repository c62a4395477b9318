import type { INestApplicationContext } from '@nestjs/common';
import { DiscoveryService, ModulesContainer } from '@nestjs/core';
import { deliverEvent, type DomainEvent, type EventContractLike, type EventSubscriber, newEvent } from '@bitro/messaging';
import type { z } from 'zod';

/** A provider shaped as an {@link EventSubscriber} (the marker of @EventSubscriber() is private to messaging). */
function isSubscriber(instance: unknown): instance is EventSubscriber {
  const candidate = instance as Partial<EventSubscriber> | null | undefined;
  return typeof candidate?.consumer === 'string' && typeof candidate.transaction === 'function' && Array.isArray(candidate.handlers);
}

const isEvent = (value: EventContractLike | DomainEvent): value is DomainEvent => 'id' in value && 'occurredAt' in value;

/**
 * Hands events to the application's consumers as the messaging workers do: for each consumer with a handler for the
 * event, the event committed to the outbox (as its producer would have), then the inbox claim and the handler in one
 * transaction of the consumer (`deliverEvent` of @bitro/messaging).
 */
export class EventDelivery {
  /** Ids of the events handed in, which a scenario does not count as the module's own. */
  readonly delivered = new Set<string>();
  private subscribers: EventSubscriber[] | undefined;

  constructor(
    private readonly app: INestApplicationContext,
    private readonly moduleName: string,
  ) {}

  /** True when a consumer handled the event now, false when every consumer had handled it already (a redelivery). */
  async deliver<C extends EventContractLike>(contractOrEvent: C | DomainEvent, payload?: z.input<C['payload']>): Promise<boolean> {
    const event = isEvent(contractOrEvent) ? contractOrEvent : newEvent(contractOrEvent, payload as z.input<C['payload']>);
    const consumers = this.all().filter((subscriber) => subscriber.handlers.some((handler) => handler.event.name === event.name));
    if (consumers.length === 0) throw new Error(`${this.moduleName} has no event consumer for ${event.name}; ${this.describe()}`);
    this.delivered.add(event.id);
    let handled = false;
    for (const consumer of consumers) handled = (await deliverEvent(consumer, event)) || handled;
    return handled;
  }

  private all(): EventSubscriber[] {
    this.subscribers ??= new DiscoveryService(this.app.get(ModulesContainer))
      .getProviders()
      .filter((wrapper) => wrapper.isDependencyTreeStatic())
      .map((wrapper) => wrapper.instance as unknown)
      .filter(isSubscriber)
      .filter((subscriber, index, all) => all.indexOf(subscriber) === index);
    return this.subscribers;
  }

  private describe(): string {
    const consumers = this.all().map((subscriber) => `"${subscriber.consumer}" handles ${subscriber.handlers.map((handler) => handler.event.name).join(', ') || 'nothing'}`);
    return consumers.length === 0 ? 'it has no event consumer at all.' : `its consumers: ${consumers.join('; ')}.`;
  }
}
