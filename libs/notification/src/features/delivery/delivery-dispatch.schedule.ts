import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import { Poller } from '@bitro/db';
import { DeliveryDispatch } from './delivery-dispatch';

/**
 * Runs the {@link DeliveryDispatch} every NOTIFICATION_POLL_INTERVAL_MS on every replica of role `worker`: a timer of
 * each replica rather than a BullMQ job scheduler, as the replicas share the due rows (SKIP LOCKED) between them.
 */
@Injectable()
export class DeliveryDispatchSchedule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly poller: Poller;

  constructor(
    private readonly dispatch: DeliveryDispatch,
    @Inject(BITRO_ENV) private readonly env: BitroEnv,
  ) {
    this.poller = new Poller({ name: 'notification deliveries', intervalMs: env.NOTIFICATION_POLL_INTERVAL_MS, run: () => dispatch.run() });
  }

  onApplicationBootstrap(): void {
    if (this.env.BITRO_ROLES.includes('worker')) this.poller.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.dispatch.stop();
    await this.poller.stop();
  }
}
