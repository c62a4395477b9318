import { Inject, Injectable } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import { NotificationPrisma } from '../../persistence/notification-prisma';
import { backoffMs } from './backoff';

/** What one attempt gave: `permanent` failures are not retried. */
export interface AttemptOutcome {
  delivered: boolean;
  permanent?: boolean;
  httpStatus?: number;
  smtpResponse?: string;
  error?: string;
  durationMs: number;
}

const MAX_ERROR = 1_000;

/** Records an attempt in the delivery log and moves its delivery on: delivered, retried after a backoff, or given up. */
@Injectable()
export class DeliveryAttempts {
  constructor(
    private readonly prisma: NotificationPrisma,
    @Inject(BITRO_ENV) private readonly env: BitroEnv,
  ) {}

  async record(deliveryId: string, attemptNo: number, outcome: AttemptOutcome): Promise<void> {
    const error = outcome.error?.slice(0, MAX_ERROR) ?? null;
    const givenUp = !outcome.delivered && (outcome.permanent === true || attemptNo >= this.env.NOTIFICATION_MAX_ATTEMPTS);
    const now = new Date();
    await this.prisma.$transaction([
      this.prisma.deliveryAttempt.create({
        data: {
          deliveryId,
          attemptNo,
          outcome: outcome.delivered ? 'delivered' : 'failed',
          httpStatus: outcome.httpStatus ?? null,
          smtpResponse: outcome.smtpResponse?.slice(0, MAX_ERROR) ?? null,
          error,
          durationMs: Math.round(outcome.durationMs),
          attemptedAt: now,
        },
      }),
      this.prisma.delivery.update({
        where: { id: deliveryId },
        data: {
          attempts: attemptNo,
          lastError: outcome.delivered ? null : error,
          ...(outcome.delivered
            ? { status: 'delivered', deliveredAt: now }
            : givenUp
              ? { status: 'failed' }
              : { nextAttemptAt: new Date(now.getTime() + backoffMs(attemptNo, this.env.NOTIFICATION_BACKOFF_MS, this.env.NOTIFICATION_BACKOFF_MAX_MS)) }),
        },
      }),
    ]);
  }
}
