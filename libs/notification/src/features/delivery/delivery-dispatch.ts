import { Inject, Injectable, Logger } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import { USER_API, type UserApi } from '@bitro/service-api';
import { inSpan, SpanKind, withCorrelationId } from '@bitro/tracing';
import { NotificationPrisma } from '../../persistence/notification-prisma';
import { type AttemptOutcome, DeliveryAttempts } from './delivery-attempts';
import { EmailSender } from './email-sender';
import { WebhookFailure, WebhookSender } from './webhook-sender';

const BATCH = 20;
/** A claimed delivery is not due again before its attempt had time to finish (or its worker died). */
const LEASE_MARGIN_MS = 60_000;

interface ClaimedDelivery {
  id: string;
  notification_id: string;
  user_id: string;
  channel: 'email' | 'webhook';
  webhook_id: string | null;
  attempts: number;
  traceparent: string | null;
  tracestate: string | null;
  correlation_id: string | null;
}

/**
 * Sends due e-mail and webhook deliveries (one run; `DeliveryDispatchSchedule` repeats it). Replicas share the rows
 * through FOR UPDATE SKIP LOCKED; a claim pushes `next_attempt_at` past the attempt's lease, so the sending itself
 * holds no transaction open and a dead receiver delays nothing but its own deliveries.
 */
@Injectable()
export class DeliveryDispatch {
  private readonly logger = new Logger('notification');
  private stopped = false;

  constructor(
    private readonly prisma: NotificationPrisma,
    private readonly attempts: DeliveryAttempts,
    private readonly email: EmailSender,
    private readonly webhooks: WebhookSender,
    @Inject(USER_API) private readonly users: UserApi,
    @Inject(BITRO_ENV) private readonly env: BitroEnv,
  ) {}

  /** One run: sends every delivery due now; resolves when their attempts are recorded. Returns how many were attempted. */
  async run(): Promise<number> {
    let total = 0;
    for (;;) {
      const claimed = await this.claim();
      await Promise.all(claimed.map((delivery) => this.attempt(delivery)));
      total += claimed.length;
      if (claimed.length < BATCH || this.stopped) return total;
    }
  }

  /** How long until the first pending delivery is due, ms (0 or less: due now); undefined when none is pending. */
  async nextDueInMs(): Promise<number | undefined> {
    const [row] = await this.prisma.$queryRawUnsafe<Array<{ ms: number | null }>>(
      `SELECT (EXTRACT(EPOCH FROM min(next_attempt_at) - now()) * 1000)::float8 AS ms FROM "notification"."deliveries" WHERE status = 'pending'`,
    );
    return row?.ms ?? undefined;
  }

  /** A run under way ends after its current batch (the application is shutting down). */
  stop(): void {
    this.stopped = true;
  }

  private claim(): Promise<ClaimedDelivery[]> {
    const leaseMs = this.env.NOTIFICATION_WEBHOOK_TIMEOUT_MS + LEASE_MARGIN_MS;
    return this.prisma.$queryRawUnsafe<ClaimedDelivery[]>(
      `UPDATE "notification"."deliveries" SET next_attempt_at = now() + make_interval(secs => $2::double precision / 1000)
        WHERE id IN (SELECT id FROM "notification"."deliveries" WHERE status = 'pending' AND next_attempt_at <= now()
                     ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING id, notification_id, user_id, channel::text AS channel, webhook_id, attempts, traceparent, tracestate, correlation_id`,
      BATCH,
      leaseMs,
    );
  }

  /** An attempt in the trace of the event that queued the delivery, under its correlation id. */
  private attempt(delivery: ClaimedDelivery): Promise<void> {
    const span = {
      kind: SpanKind.CLIENT,
      parent: { traceparent: delivery.traceparent ?? undefined, tracestate: delivery.tracestate ?? undefined },
      attributes: { 'bitro.delivery.id': delivery.id, 'bitro.delivery.attempt': delivery.attempts + 1 },
    };
    return withCorrelationId(delivery.correlation_id, () => inSpan(`${delivery.channel} delivery`, span, () => this.attemptOnce(delivery)));
  }

  private async attemptOnce(delivery: ClaimedDelivery): Promise<void> {
    const started = performance.now();
    let outcome: Omit<AttemptOutcome, 'durationMs'>;
    try {
      outcome = delivery.channel === 'email' ? await this.sendEmail(delivery) : await this.sendWebhook(delivery);
    } catch (error) {
      outcome = error instanceof WebhookFailure ? { delivered: false, httpStatus: error.httpStatus, error: error.reason } : { delivered: false, error: describe(error) };
    }
    await this.attempts.record(delivery.id, delivery.attempts + 1, { ...outcome, durationMs: performance.now() - started }).catch((error: Error) => {
      this.logger.error(`Delivery ${delivery.id}: the attempt was not recorded: ${error.message}`);
    });
  }

  private async sendEmail(delivery: ClaimedDelivery): Promise<Omit<AttemptOutcome, 'durationMs'>> {
    const [notification, user] = await Promise.all([
      this.prisma.notification.findUniqueOrThrow({ where: { id: delivery.notification_id } }),
      this.users.findUser(delivery.user_id),
    ]);
    if (!user) return { delivered: false, permanent: true, error: 'The user does not exist' };
    if (!this.email.enabled) return { delivered: false, permanent: true, error: 'The e-mail channel is off (no SMTP_URL)' };
    const smtpResponse = await this.email.send({ to: user.email, subject: notification.title, text: notification.body });
    return { delivered: true, smtpResponse };
  }

  private async sendWebhook(delivery: ClaimedDelivery): Promise<Omit<AttemptOutcome, 'durationMs'>> {
    const { notification, webhook } = await this.prisma.delivery.findUniqueOrThrow({
      where: { id: delivery.id },
      include: { notification: true, webhook: true },
    });
    if (!webhook || webhook.deletedAt) return { delivered: false, permanent: true, error: 'The webhook was deleted' };
    const rawBody = JSON.stringify({
      id: delivery.id,
      type: notification.type,
      createdAt: notification.createdAt.toISOString(),
      data: notification.data,
      notification: { id: notification.id, locale: notification.locale, title: notification.title, body: notification.body },
    });
    const httpStatus = await this.webhooks.send({ url: webhook.url, secret: webhook.secret, deliveryId: delivery.id, type: notification.type, rawBody });
    return { delivered: true, httpStatus };
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
