import { Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { EventHandler } from './event-handler';
import { type EventSubscriber, subscriberMarker } from './event-subscriber';

/** A consumer's handlers by event name. */
export interface Subscription {
  readonly consumer: string;
  readonly subscriber: EventSubscriber;
  readonly handlers: ReadonlyMap<string, EventHandler>;
}

// Consumer names end up in BullMQ queue names and job ids, where ':' is reserved.
const CONSUMER_NAME = /^[a-z][a-z0-9-]*$/;

/** The @EventSubscriber() providers of the application, found at bootstrap. */
@Injectable()
export class SubscriberRegistry {
  private subscriptions = new Map<string, Subscription>();
  private consumersByEvent = new Map<string, string[]>();

  constructor(private readonly discovery: DiscoveryService) {}

  discover(): void {
    const subscriptions = new Map<string, Subscription>();
    const consumersByEvent = new Map<string, string[]>();
    const seen = new Set<unknown>();
    for (const wrapper of this.discovery.getProviders({ metadataKey: subscriberMarker.KEY })) {
      if (!wrapper.isDependencyTreeStatic()) throw new Error(`Event subscriber ${wrapper.name} must be a singleton provider.`);
      const subscriber = wrapper.instance as EventSubscriber | undefined;
      if (!subscriber || seen.has(subscriber)) continue;
      seen.add(subscriber);
      const { consumer } = subscriber;
      if (!CONSUMER_NAME.test(consumer)) throw new Error(`Event subscriber ${wrapper.name}: consumer "${consumer}" must match ${CONSUMER_NAME}.`);
      if (subscriptions.has(consumer)) throw new Error(`Two event subscribers use the consumer name "${consumer}".`);
      const handlers = new Map<string, EventHandler>();
      for (const handler of subscriber.handlers) {
        if (handlers.has(handler.event.name)) throw new Error(`Consumer "${consumer}" has two handlers for ${handler.event.name}.`);
        handlers.set(handler.event.name, handler);
        const consumers = consumersByEvent.get(handler.event.name) ?? [];
        consumers.push(consumer);
        consumersByEvent.set(handler.event.name, consumers);
      }
      subscriptions.set(consumer, { consumer, subscriber, handlers });
    }
    this.subscriptions = subscriptions;
    this.consumersByEvent = consumersByEvent;
  }

  all(): Subscription[] {
    return [...this.subscriptions.values()];
  }

  get(consumer: string): Subscription | undefined {
    return this.subscriptions.get(consumer);
  }

  consumersOf(eventName: string): readonly string[] {
    return this.consumersByEvent.get(eventName) ?? [];
  }
}
