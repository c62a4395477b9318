import { DiscoveryService } from '@nestjs/core';
import type { EventHandler } from './event-handler';
import type { SqlExecutor } from './sql-executor';

/** A domain's subscription: a Nest provider class decorated with @EventSubscriber(); MessagingModule discovers it. */
export interface EventSubscriber {
  /** Unique name of the consuming domain, e.g. 'wallet' (lower-case letters, digits, '-'). */
  readonly consumer: string;
  /** Runs `work` in one of the domain's transactions, e.g. `(work) => this.prisma.$transaction(work)`. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  readonly handlers: ReadonlyArray<EventHandler>;
}

export const subscriberMarker = DiscoveryService.createDecorator<void>();

/** Marks a provider class as an {@link EventSubscriber}. */
export function EventSubscriber(): ClassDecorator {
  return subscriberMarker();
}
