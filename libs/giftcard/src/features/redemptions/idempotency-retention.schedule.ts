import { Inject, Injectable } from '@nestjs/common';
import { MESSAGING_SETTINGS, type MessagingSettings } from '@bitro/config';
import { RepeatingJob } from '@bitro/messaging';
import { IdempotencyRetention } from './idempotency-retention';

export const IDEMPOTENCY_RETENTION_QUEUE = 'giftcard-idempotency-retention';
const EVERY_MS = 15 * 60_000;

/** Runs the Idempotency-Key retention every 15 minutes. */
@Injectable()
export class IdempotencyRetentionSchedule extends RepeatingJob {
  constructor(retention: IdempotencyRetention, @Inject(MESSAGING_SETTINGS) settings: MessagingSettings) {
    super(settings, {
      queue: IDEMPOTENCY_RETENTION_QUEUE,
      schedulerId: 'giftcard-idempotency-retention',
      everyMs: EVERY_MS,
      label: 'Idempotency-Key retention',
      context: 'giftcard',
      run: () => retention.run(),
    });
  }
}
