import { Inject, Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { PG_POOL } from '@bitro/db';
import type { Pool } from 'pg';
import type { EventHandler } from './event-handler';
import { type EventSubscriber, subscriberMarker } from './event-subscriber';
import { inboundBridge } from './inbound-bridge';
import { consumerQueueName } from './messaging-queues';
import { MESSAGING_ROUTES, type MessagingRoutes } from './messaging-routes';
import { Outbox } from './outbox';

/** A consumer's handlers by event name, and the queue its jobs arrive on. */
export interface Subscription {
  readonly consumer: string;
  readonly queue: string;
  readonly subscriber: EventSubscriber;
  readonly handlers: ReadonlyMap<string, EventHandler>;
}

// Consumer names end up in BullMQ queue names and job ids, where ':' is reserved.
const CONSUMER_NAME = /^[a-z][a-z0-9-]*$/;

/** The @EventSubscriber() providers of the application, found at bootstrap, and the inbound bridges of its routes. */
@Injectable()
export class SubscriberRegistry {
  private subscriptions = new Map<string, Subscription>();
  private subscriptionsByEvent = new Map<string, Subscription[]>();
  private readonly outboundQueueByEvent: ReadonlyMap<string, string>;

  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(MESSAGING_ROUTES) private readonly routes: MessagingRoutes,
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly outbox: Outbox,
  ) {
    this.outboundQueueByEvent = new Map((routes.outbound ?? []).map((contract) => [contract.name, contract.queue]));
    for (const { events } of routes.inbound ?? []) {
      const looping = events.find((contract) => this.outboundQueueByEvent.has(contract.name));
      if (looping) throw new Error(`${looping.name} is both inbound and outbound: it would travel back and forth.`);
    }
  }

  discover(): void {
    this.subscriptions = new Map();
    this.subscriptionsByEvent = new Map();
    const seen = new Set<unknown>();
    for (const wrapper of this.discovery.getProviders({ metadataKey: subscriberMarker.KEY })) {
      if (!wrapper.isDependencyTreeStatic()) throw new Error(`Event subscriber ${wrapper.name} must be a singleton provider.`);
      const subscriber = wrapper.instance as EventSubscriber | undefined;
      if (!subscriber || seen.has(subscriber)) continue;
      seen.add(subscriber);
      if (!CONSUMER_NAME.test(subscriber.consumer)) throw new Error(`Event subscriber ${wrapper.name}: consumer "${subscriber.consumer}" must match ${CONSUMER_NAME}.`);
      this.add(subscriber, consumerQueueName(subscriber.consumer));
    }
    for (const { queue, events } of this.routes.inbound ?? []) this.add(inboundBridge(queue, events, this.pool, this.outbox), queue);
  }

  all(): Subscription[] {
    return [...this.subscriptions.values()];
  }

  get(consumer: string): Subscription | undefined {
    return this.subscriptions.get(consumer);
  }

  subscriptionsOf(eventName: string): readonly Subscription[] {
    return this.subscriptionsByEvent.get(eventName) ?? [];
  }

  /** The queue of another process an event is also published to, if any. */
  outboundQueueOf(eventName: string): string | undefined {
    return this.outboundQueueByEvent.get(eventName);
  }

  /** The queues of other processes this one publishes to. */
  outboundQueues(): string[] {
    return [...new Set(this.outboundQueueByEvent.values())];
  }

  private add(subscriber: EventSubscriber, queue: string): void {
    const { consumer } = subscriber;
    if (this.subscriptions.has(consumer)) throw new Error(`Two event subscribers use the consumer name "${consumer}".`);
    const handlers = new Map<string, EventHandler>();
    const subscription: Subscription = { consumer, queue, subscriber, handlers };
    for (const handler of subscriber.handlers) {
      if (handlers.has(handler.event.name)) throw new Error(`Consumer "${consumer}" has two handlers for ${handler.event.name}.`);
      handlers.set(handler.event.name, handler);
      // An inbound bridge appends to the outbox; it is not a subscriber of the local events of that name.
      if (queue !== consumerQueueName(consumer)) continue;
      this.subscriptionsByEvent.set(handler.event.name, [...(this.subscriptionsByEvent.get(handler.event.name) ?? []), subscription]);
    }
    this.subscriptions.set(consumer, subscription);
  }
}
