import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { MessagingQueues } from './messaging-queues';
import { acknowledgementQueueName } from './messaging-routes';
import { SubscriberRegistry } from './subscriber-registry';

/** Every BullMQ queue this process's messaging uses: each consumer's, each bridge's, each outbound one and its acknowledgements (for dashboards). */
@Injectable()
export class QueueCatalogue {
  constructor(
    private readonly queues: MessagingQueues,
    private readonly registry: SubscriberRegistry,
  ) {}

  all(): Queue[] {
    const names = new Set([
      ...this.registry.all().map((subscription) => subscription.queue),
      ...this.registry.bridges().map((bridge) => bridge.queue),
      ...this.registry.outboundQueues().flatMap((queue) => [queue, acknowledgementQueueName(queue)]),
    ]);
    return [...names].sort().map((name) => this.queues.queue(name));
  }
}
