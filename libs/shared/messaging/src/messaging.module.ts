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
import { MessagingCollector } from './messaging.collector';
import { MessagingMetrics } from './messaging-metrics';
import { MessagingQueues } from './messaging-queues';
import { MESSAGING_ROUTES, type MessagingRoutes, NO_ROUTES } from './messaging-routes';
import { Outbox } from './outbox';
import { ConsumerDirectory } from './consumer-directory';
import { MessagingRetention } from './messaging-retention';
import { OutboxRelay } from './outbox-relay';
import { PublicationSweeper } from './publication-sweeper';
import { Publications } from './publications';
import { QueueCatalogue } from './queue-catalogue';
import { SubscriberRegistry } from './subscriber-registry';

/**
 * Domain events: the outbox (any role); the relay, the publication sweeper, the retention and the consumers (role
 * `worker`). Needs MESSAGING_SETTINGS and PG_POOL (ConfigModule, DbModule).
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
    ConsumerDirectory,
    Publications,
    PublicationSweeper,
    MessagingRetention,
    EventConsumers,
    DeadLetters,
    MessagingMetrics,
    MessagingCollector,
    QueueCatalogue,
  ],
  exports: [Outbox, DeadLetters, MessagingMetrics, Publications, QueueCatalogue],
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
    private readonly sweeper: PublicationSweeper,
    private readonly retention: MessagingRetention,
    private readonly consumers: EventConsumers,
    private readonly queues: MessagingQueues,
  ) {}

  onApplicationBootstrap(): void {
    this.registry.discover();
    if (!this.settings.worker) return;
    if ((this.registry.outboundQueues().length > 0 || this.registry.bridges().length > 0) && this.registry.secrets.length === 0) {
      this.logger.error('No secret for the messages between processes: nothing is sent to or accepted from the other process.');
    }
    this.relay.start();
    this.sweeper.start();
    this.retention.start();
    this.consumers.startWorkers();
  }

  /** Workers finish their jobs before any module's onApplicationShutdown (DbModule's ends the pool they use). */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([this.relay.stop(), this.sweeper.stop(), this.retention.stop()]);
    await this.queues.stopWorkers();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queues.close();
  }
}
