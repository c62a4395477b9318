import { type BeforeApplicationShutdown, Global, Inject, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
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
  private readonly logger = new Logger('messaging');

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
    // Not awaited: with Redis down the replica still starts (and reports not ready); BullMQ registers the
    // schedule once Redis answers.
    if (this.env.BITRO_ROLES.includes('scheduler')) {
      this.relay.schedule().catch((error: Error) => this.logger.error(`Outbox relay schedule not registered: ${error.message}`));
    }
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
