import { Injectable } from '@nestjs/common';
import { MetricsCollector } from '@bitro/metrics';
import { MessagingMetrics } from './messaging-metrics';
import { outboundConsumerName } from './messaging-routes';
import { Publications } from './publications';
import { QueueCatalogue } from './queue-catalogue';
import { SubscriberRegistry } from './subscriber-registry';

const JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'prioritized'] as const;

/** The event backbone at scrape time: what each consumer is owed (PostgreSQL) and the depth of each queue (Redis). */
@Injectable()
export class MessagingCollector extends MetricsCollector {
  readonly name = 'messaging';
  private readonly incomplete = this.gauge({
    name: 'bitro_events_publications_incomplete',
    help: 'Deliveries recorded for a consumer and not completed yet (its publications).',
    labelNames: ['consumer'],
  });
  private readonly oldestAge = this.gauge({
    name: 'bitro_events_publication_oldest_age_seconds',
    help: "Age of the consumer's oldest incomplete publication; 0 when there is none.",
    labelNames: ['consumer'],
  });
  private readonly deadLetters = this.gauge({
    name: 'bitro_events_dead_letters',
    help: 'Dead letters of the consumer not resubmitted yet.',
    labelNames: ['consumer'],
  });
  private readonly backlog = this.gauge({ name: 'bitro_outbox_backlog', help: 'Events in the outbox not relayed yet.' });
  private readonly backlogAge = this.gauge({ name: 'bitro_outbox_oldest_age_seconds', help: 'Age of the oldest event not relayed yet; 0 when there is none.' });
  private readonly jobs = this.gauge({ name: 'bitro_queue_jobs', help: 'Jobs of each BullMQ queue of this process, by state.', labelNames: ['queue', 'state'] });

  constructor(
    private readonly metrics: MessagingMetrics,
    private readonly publications: Publications,
    private readonly catalogue: QueueCatalogue,
    private readonly registry: SubscriberRegistry,
  ) {
    super();
  }

  async collect(): Promise<void> {
    const queues = this.catalogue.all();
    const [snapshot, owed, counts] = await Promise.all([
      this.metrics.snapshot(),
      this.publications.owed(),
      Promise.all(queues.map((queue) => queue.getJobCounts(...JOB_STATES))),
    ]);
    this.backlog.set(snapshot.outboxBacklog);
    this.backlogAge.set((snapshot.oldestUnpublishedAgeMs ?? 0) / 1000);

    for (const gauge of [this.incomplete, this.oldestAge, this.deadLetters]) gauge.reset();
    // This process's consumers at 0 when nothing is owed to them, and any other consumer something is owed to.
    for (const consumer of this.consumers()) {
      for (const gauge of [this.incomplete, this.oldestAge, this.deadLetters]) gauge.set({ consumer }, 0);
    }
    for (const row of owed) {
      this.incomplete.set({ consumer: row.consumer }, row.incomplete);
      this.oldestAge.set({ consumer: row.consumer }, (row.oldestIncompleteAgeMs ?? 0) / 1000);
      this.deadLetters.set({ consumer: row.consumer }, row.deadLetters);
    }

    this.jobs.reset();
    queues.forEach((queue, index) => {
      for (const state of JOB_STATES) this.jobs.set({ queue: queue.name, state }, counts[index]?.[state] ?? 0);
    });
  }

  private consumers(): string[] {
    return [
      ...this.registry.all().map((subscription) => subscription.consumer),
      ...this.registry.bridges().map((bridge) => bridge.consumer),
      ...this.registry.outboundQueues().map((queue) => outboundConsumerName(queue)),
    ];
  }
}
