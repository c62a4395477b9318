import { type BeforeApplicationShutdown, Global, Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import { DeadLetters } from './dead-letters';
import { EventConsumers } from './event-consumers';
import { MessagingMetrics } from './messaging-metrics';
import { MessagingQueues } from './messaging-queues';
import { Outbox } from './outbox';
import { OutboxRelay } from './outbox-relay';
import { SubscriberRegistry } from './subscriber-registry';

/**
 * Domain events: the outbox (any role), the relay and the consumers (role `worker`), the relay's
 * job scheduler (role `scheduler`). Needs BITRO_ENV and PG_POOL (ConfigModule, DbModule).
 */
@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [MessagingQueues, SubscriberRegistry, Outbox, OutboxRelay, EventConsumers, DeadLetters, MessagingMetrics],
  exports: [Outbox, DeadLetters, MessagingMetrics],
})
export class MessagingModule implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    @Inject(BITRO_ENV) private readonly env: BitroEnv,
    private readonly registry: SubscriberRegistry,
    private readonly relay: OutboxRelay,
    private readonly consumers: EventConsumers,
    private readonly queues: MessagingQueues,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.registry.discover();
    if (this.env.BITRO_ROLES.includes('worker')) {
      this.relay.startWorker();
      this.consumers.startWorkers();
    }
    if (this.env.BITRO_ROLES.includes('scheduler')) await this.relay.schedule();
  }

  /** Workers finish their jobs before any module's onApplicationShutdown (DbModule's ends the pool they use). */
  async beforeApplicationShutdown(): Promise<void> {
    this.relay.stop();
    await this.queues.stopWorkers();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queues.close();
  }
}
