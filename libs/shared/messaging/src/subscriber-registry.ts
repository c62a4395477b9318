import { Inject, Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { EventContractLike, EventHandler } from './event-handler';
import { type EventSubscriber, subscriberMarker } from './event-subscriber';
import { consumerQueueName } from './messaging-queues';
import { inboundConsumerName, MESSAGING_ROUTES, type MessagingRoutes, outboundConsumerName } from './messaging-routes';

/** A consumer's handlers by event name, and the queue its jobs arrive on. */
export interface Subscription {
  readonly consumer: string;
  readonly queue: string;
  readonly subscriber: EventSubscriber;
  readonly handlers: ReadonlyMap<string, EventHandler>;
}

/** Takes in another process's queue: each signed message becomes a local event under its own id. */
export interface Bridge {
  readonly consumer: string;
  readonly queue: string;
  readonly contracts: ReadonlyMap<string, EventContractLike>;
}

// Consumer names end up in BullMQ queue names and job ids, where ':' is reserved.
const CONSUMER_NAME = /^[a-z][a-z0-9-]*$/;

/** The @EventSubscriber() providers of the application, found at bootstrap, and the inbound bridges of its routes. */
@Injectable()
export class SubscriberRegistry {
  private subscriptions = new Map<string, Subscription>();
  private subscriptionsByEvent = new Map<string, Subscription[]>();
  private readonly bridgeList: readonly Bridge[];
  private readonly outboundQueueByEvent: ReadonlyMap<string, string>;

  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(MESSAGING_ROUTES) private readonly routes: MessagingRoutes,
  ) {
    this.outboundQueueByEvent = new Map((routes.outbound ?? []).map((contract) => [contract.name, contract.queue]));
    for (const { events } of routes.inbound ?? []) {
      const looping = events.find((contract) => this.outboundQueueByEvent.has(contract.name));
      if (looping) throw new Error(`${looping.name} is both inbound and outbound: it would travel back and forth.`);
    }
    this.bridgeList = (routes.inbound ?? []).map(({ queue, events }) => ({
      consumer: inboundConsumerName(queue),
      queue,
      contracts: new Map(events.map((contract) => [contract.name, contract])),
    }));
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
      this.add(subscriber);
    }
  }

  /** This process's own consumers (not the bridges). */
  all(): Subscription[] {
    return [...this.subscriptions.values()];
  }

  get(consumer: string): Subscription | undefined {
    return this.subscriptions.get(consumer);
  }

  /** The events this process's own consumers subscribe to, and those it publishes to other processes. */
  eventNames(): string[] {
    return [...new Set([...this.subscriptionsByEvent.keys(), ...this.outboundQueueByEvent.keys()])];
  }

  subscriptionsOf(eventName: string): readonly Subscription[] {
    return this.subscriptionsByEvent.get(eventName) ?? [];
  }

  bridges(): readonly Bridge[] {
    return this.bridgeList;
  }

  bridge(consumer: string): Bridge | undefined {
    return this.bridgeList.find((bridge) => bridge.consumer === consumer);
  }

  /** The queue of another process an event is also published to, if any. */
  outboundQueueOf(eventName: string): string | undefined {
    return this.outboundQueueByEvent.get(eventName);
  }

  /** The queues of other processes this one publishes to. */
  outboundQueues(): string[] {
    return [...new Set(this.outboundQueueByEvent.values())];
  }

  /** The outbound queue whose publications go by `consumer` (`to-<queue>`), if it is one. */
  outboundQueueOfConsumer(consumer: string): string | undefined {
    return this.outboundQueues().find((queue) => outboundConsumerName(queue) === consumer);
  }

  /** The HMAC secrets of messages between processes (the first signs). */
  get secrets(): readonly string[] {
    return this.routes.secrets ?? [];
  }

  private add(subscriber: EventSubscriber): void {
    const { consumer } = subscriber;
    if (this.subscriptions.has(consumer)) throw new Error(`Two event subscribers use the consumer name "${consumer}".`);
    const handlers = new Map<string, EventHandler>();
    const subscription: Subscription = { consumer, queue: consumerQueueName(consumer), subscriber, handlers };
    for (const handler of subscriber.handlers) {
      if (handlers.has(handler.event.name)) throw new Error(`Consumer "${consumer}" has two handlers for ${handler.event.name}.`);
      handlers.set(handler.event.name, handler);
      this.subscriptionsByEvent.set(handler.event.name, [...(this.subscriptionsByEvent.get(handler.event.name) ?? []), subscription]);
    }
    this.subscriptions.set(consumer, subscription);
  }
}
