import { Inject, Injectable, Logger } from '@nestjs/common';
import { MESSAGING_SETTINGS, type MessagingSettings } from '@bitro/config';
import { RepeatingJob } from '@bitro/messaging';
import { IdempotencyRetention } from './idempotency-retention';

export const IDEMPOTENCY_RETENTION_QUEUE = 'giftcard-idempotency-retention';
const EVERY_MS = 15 * 60_000;

/** Deletes expired Idempotency-Key rows every 15 minutes. */
@Injectable()
export class IdempotencyRetentionJob extends RepeatingJob {
  constructor(retention: IdempotencyRetention, @Inject(MESSAGING_SETTINGS) settings: MessagingSettings) {
    const logger = new Logger('giftcard');
    super(settings, {
      queue: IDEMPOTENCY_RETENTION_QUEUE,
      schedulerId: 'giftcard-idempotency-retention',
      everyMs: EVERY_MS,
      label: 'Idempotency-Key retention',
      context: 'giftcard',
      run: async () => {
        const deleted = await retention.deleteExpired();
        if (deleted > 0) logger.log(`Idempotency-Key retention: ${deleted} expired key(s) deleted`);
      },
    });
  }
}
