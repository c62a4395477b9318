import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { MessagingQueues, RELAY_QUEUE } from './messaging-queues';
import { SubscriberRegistry } from './subscriber-registry';

/** Every BullMQ queue this process's messaging uses: the relay's, each consumer's and each outbound one (for dashboards). */
@Injectable()
export class QueueCatalogue {
  constructor(
    private readonly queues: MessagingQueues,
    private readonly registry: SubscriberRegistry,
  ) {}

  all(): Queue[] {
    const names = new Set([RELAY_QUEUE, ...this.registry.all().map((subscription) => subscription.queue), ...this.registry.outboundQueues()]);
    return [...names].sort().map((name) => this.queues.queue(name));
  }
}
