import { Inject, Injectable } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import { ProblemException } from '@bitro/http';
import { randomBytes } from 'node:crypto';
import type { NotificationType } from '../catalogue/notification-types';
import { NotificationPrisma, type Webhook } from '../../persistence/notification-prisma';
import { webhookUrlProblem } from './webhook-url';

export const MAX_WEBHOOKS_PER_USER = 10;

export interface WebhookView {
  id: string;
  url: string;
  events: NotificationType[];
  createdAt: string;
}

export interface DeliveryLogView {
  id: string;
  notificationId: string;
  type: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: Array<{ attemptNo: number; outcome: string; httpStatus: number | null; error: string | null; durationMs: number; attemptedAt: string }>;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

const toView = (webhook: Webhook): WebhookView => ({ id: webhook.id, url: webhook.url, events: webhook.events as NotificationType[], createdAt: webhook.createdAt.toISOString() });
const notFound = () => new ProblemException(404, 'webhook-not-found', 'No webhook of yours has this id.');

/** Users' webhook endpoints: registration (the signing secret is shown once), listing, deletion, and their delivery log. */
@Injectable()
export class WebhookRegistry {
  constructor(
    private readonly prisma: NotificationPrisma,
    @Inject(BITRO_ENV) private readonly env: BitroEnv,
  ) {}

  async register(userId: string, input: { url: string; events?: NotificationType[] }): Promise<WebhookView & { secret: string }> {
    const problem = await webhookUrlProblem(input.url, this.env.NOTIFICATION_WEBHOOK_ALLOW_LOOPBACK);
    if (problem) throw new ProblemException(422, 'invalid-webhook-url', `The webhook URL ${problem}.`, { errors: [{ in: 'body', pointer: '/url', message: problem }] });
    const count = await this.prisma.webhook.count({ where: { userId, deletedAt: null } });
    if (count >= MAX_WEBHOOKS_PER_USER) throw new ProblemException(422, 'too-many-webhooks', `At most ${MAX_WEBHOOKS_PER_USER} webhooks per user.`);
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    const webhook = await this.prisma.webhook.create({ data: { userId, url: input.url, events: [...new Set(input.events ?? [])], secret } });
    return { ...toView(webhook), secret };
  }

  async list(userId: string): Promise<WebhookView[]> {
    const webhooks = await this.prisma.webhook.findMany({ where: { userId, deletedAt: null }, orderBy: { createdAt: 'asc' } });
    return webhooks.map(toView);
  }

  /** Its pending deliveries are given up when their turn comes. */
  async remove(userId: string, id: string): Promise<void> {
    const { count } = await this.prisma.webhook.updateMany({ where: { id, userId, deletedAt: null }, data: { deletedAt: new Date() } });
    if (count === 0) throw notFound();
  }

  /** The newest deliveries to the webhook, each with its attempts. */
  async deliveries(userId: string, id: string, limit: number): Promise<DeliveryLogView[]> {
    const webhook = await this.prisma.webhook.findFirst({ where: { id, userId }, select: { id: true } });
    if (!webhook) throw notFound();
    const rows = await this.prisma.delivery.findMany({
      where: { webhookId: id },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
      include: { notification: { select: { type: true } }, attemptLog: { orderBy: { attemptNo: 'asc' } } },
    });
    return rows.map((row) => ({
      id: row.id,
      notificationId: row.notificationId,
      type: row.notification.type,
      status: row.status,
      attempts: row.attemptLog.map((attempt) => ({
        attemptNo: attempt.attemptNo,
        outcome: attempt.outcome,
        httpStatus: attempt.httpStatus,
        error: attempt.error,
        durationMs: attempt.durationMs,
        attemptedAt: attempt.attemptedAt.toISOString(),
      })),
      nextAttemptAt: row.status === 'pending' ? row.nextAttemptAt.toISOString() : null,
      deliveredAt: row.deliveredAt?.toISOString() ?? null,
      createdAt: row.createdAt.toISOString(),
    }));
  }
}
