import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import { Poller, SAFETY_NET_POLL_MS } from '@bitro/db';
import { DeliveryDispatch } from './delivery-dispatch';

/**
 * Runs the {@link DeliveryDispatch} on every replica of role `worker`: every NOTIFICATION_POLL_INTERVAL_MS while
 * deliveries are due or its last run sent or failed; otherwise when the first pending delivery (a retry after its
 * backoff) is due, at most 10 s later; and at once when the consumer commits a new delivery. A timer of each replica
 * rather than a BullMQ job scheduler, as the replicas share the due rows (SKIP LOCKED) between them.
 */
@Injectable()
export class DeliveryDispatchSchedule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly poller: Poller;
  private nextRunMs: number;

  constructor(
    private readonly dispatch: DeliveryDispatch,
    @Inject(BITRO_ENV) private readonly env: BitroEnv,
  ) {
    const pollMs = env.NOTIFICATION_POLL_INTERVAL_MS;
    const idleMs = Math.max(SAFETY_NET_POLL_MS, pollMs);
    this.nextRunMs = pollMs;
    this.poller = new Poller({
      name: 'notification deliveries',
      intervalMs: () => this.nextRunMs,
      run: async () => {
        // A run that fails (database down, say) keeps the short interval.
        this.nextRunMs = pollMs;
        if ((await dispatch.run()) > 0) return;
        const dueInMs = (await dispatch.nextDueInMs()) ?? idleMs;
        this.nextRunMs = Math.min(idleMs, Math.max(pollMs, dueInMs));
      },
    });
  }

  onApplicationBootstrap(): void {
    if (this.env.BITRO_ROLES.includes('worker')) this.poller.start();
  }

  /** A run now (a delivery was committed), or right after the current one. */
  wake(): void {
    this.poller.wake();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.dispatch.stop();
    await this.poller.stop();
  }
}
