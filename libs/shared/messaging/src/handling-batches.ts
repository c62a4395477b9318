import { Logger } from '@nestjs/common';
import type { DomainEvent, EventHandler } from './event-handler';
import { handleOnce, handleTogether, type HandlerDelivery } from './handle-once';
import type { EventSubscriber } from './event-subscriber';
import { throttled } from './throttled';

/** The most deliveries one transaction takes: also how many jobs a consumer's worker runs at once, to fill it. */
export const MAX_BATCH = 16;

interface Waiting extends HandlerDelivery {
  settle: (outcome: { handled: boolean } | { error: unknown }) => void;
}

/**
 * Group commit of one subscriber's deliveries: the jobs its workers are running hand their events in here, and they are
 * handled a batch at a time, each batch in one transaction ({@link handleTogether}): one BEGIN/COMMIT, one inbox claim
 * and one wait for the rows every handling locks (the house account, the audit chain head) for the whole batch. A lone
 * delivery goes at once; those that arrive meanwhile make the next batch. When a batch fails, its deliveries are handled
 * again one by one, each in its own transaction, so that only the failing one fails (and is retried or dead-lettered
 * by its job).
 */
export class HandlingBatches {
  private readonly waiting: Waiting[] = [];
  private running = false;
  private readonly logger = new Logger('EventConsumers');
  private readonly logThrottled = throttled(10_000);

  constructor(private readonly subscriber: EventSubscriber) {}

  /** Resolves once the event is handled (true) or found handled already (false); rejects with its handling's error. */
  handle(handler: EventHandler, event: DomainEvent): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ handler, event, settle: (outcome) => ('error' in outcome ? reject(outcome.error) : resolve(outcome.handled)) });
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.waiting.length > 0) await this.run(this.nextBatch());
    } finally {
      this.running = false;
    }
  }

  /** Up to MAX_BATCH waiting deliveries of distinct events (a second delivery of one event waits for the next batch). */
  private nextBatch(): Waiting[] {
    const ids = new Set<string>();
    const batch: Waiting[] = [];
    for (let i = 0; i < this.waiting.length && batch.length < MAX_BATCH; ) {
      const delivery = this.waiting[i] as Waiting;
      const id = delivery.event.id.toLowerCase();
      if (ids.has(id)) {
        i++;
        continue;
      }
      ids.add(id);
      batch.push(delivery);
      this.waiting.splice(i, 1);
    }
    return batch;
  }

  private async run(batch: Waiting[]): Promise<void> {
    if (batch.length > 1) {
      const handled = await handleTogether(this.subscriber, batch).catch((error: Error) => {
        this.logThrottled(() => this.logger.warn(`${this.subscriber.consumer}: a batch of ${batch.length} failed (${error.message}); handling them one by one`));
        return undefined;
      });
      if (handled) return batch.forEach((delivery, i) => delivery.settle({ handled: handled[i] as boolean }));
    }
    for (const delivery of batch) {
      await handleOnce(this.subscriber, delivery.handler, delivery.event).then(
        (handled) => delivery.settle({ handled }),
        (error: unknown) => delivery.settle({ error }),
      );
    }
  }
}
