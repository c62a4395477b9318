import { Inject, Injectable } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv, MESSAGING_SETTINGS, type MessagingSettings } from '@bitro/config';
import { RepeatingJob } from '@bitro/messaging';
import { RedemptionRetry } from './redemption-retry';

export const REDEMPTION_RETRY_QUEUE = 'giftcard-redemption-retry';

/**
 * Runs the redemption retry every REDEMPTION_RETRY_INTERVAL_MS. Several replicas may run it: the runs share the
 * pending rows through SKIP LOCKED.
 */
@Injectable()
export class RedemptionRetrySchedule extends RepeatingJob {
  constructor(retry: RedemptionRetry, @Inject(MESSAGING_SETTINGS) settings: MessagingSettings, @Inject(BITRO_ENV) env: BitroEnv) {
    super(settings, {
      queue: REDEMPTION_RETRY_QUEUE,
      schedulerId: 'giftcard-retry-pending-redemptions',
      everyMs: env.REDEMPTION_RETRY_INTERVAL_MS,
      label: 'Redemption retry',
      context: 'giftcard',
      run: () => retry.run(),
    });
  }
}
