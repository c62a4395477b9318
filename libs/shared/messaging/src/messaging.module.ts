import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Global,
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { MESSAGING_SETTINGS, type MessagingSettings } from '@bitro/config';
import { DeadLetters } from './dead-letters';
import { EventConsumers } from './event-consumers';
import { MessagingMetrics } from './messaging-metrics';
import { MessagingQueues } from './messaging-queues';
import { MESSAGING_ROUTES, type MessagingRoutes, NO_ROUTES } from './messaging-routes';
import { Outbox } from './outbox';
import { OutboxRelay } from './outbox-relay';
import { QueueCatalogue } from './queue-catalogue';
import { SubscriberRegistry } from './subscriber-registry';

/**
 * Domain events: the outbox (any role), the relay and the consumers (role `worker`), the relay's
 * job scheduler (role `scheduler`). Needs MESSAGING_SETTINGS and PG_POOL (ConfigModule, DbModule).
 * Import `MessagingModule` for events within the process, `MessagingModule.forRoot(routes)` to also exchange
 * events with another process.
 */
@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [
    { provide: MESSAGING_ROUTES, useValue: NO_ROUTES },
    MessagingQueues,
    SubscriberRegistry,
    Outbox,
    OutboxRelay,
    EventConsumers,
    DeadLetters,
    MessagingMetrics,
    QueueCatalogue,
  ],
  exports: [Outbox, DeadLetters, MessagingMetrics, QueueCatalogue],
})
export class MessagingModule implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('messaging');

  static forRoot(routes: MessagingRoutes): DynamicModule {
    return { module: MessagingModule, providers: [{ provide: MESSAGING_ROUTES, useValue: routes }] };
  }

  constructor(
    @Inject(MESSAGING_SETTINGS) private readonly settings: MessagingSettings,
    private readonly registry: SubscriberRegistry,
    private readonly relay: OutboxRelay,
    private readonly consumers: EventConsumers,
    private readonly queues: MessagingQueues,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.registry.discover();
    if (this.settings.worker) {
      this.relay.startWorker();
      this.consumers.startWorkers();
    }
    // Not awaited: with Redis down the replica still starts (and reports not ready); BullMQ registers the
    // schedule once Redis answers.
    if (this.settings.scheduler) {
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
