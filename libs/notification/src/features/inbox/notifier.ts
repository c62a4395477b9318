import { Injectable } from '@nestjs/common';
import type { NotificationRequest } from '../catalogue/notification-types';
import { EmailSender } from '../delivery/email-sender';
import type { NotificationTx } from '../../persistence/notification-prisma';
import { Preferences } from '../preferences/preferences';
import { render } from '../templates/render';
import { currentCorrelationId, currentTraceCarrier } from '@bitro/tracing';

/**
 * Writes a notification, in the caller's transaction only: the inbox row, rendered in the user's locale, and one
 * pending delivery per enabled external channel (the delivery dispatch sends them). Nothing here waits on a network.
 */
@Injectable()
export class Notifier {
  constructor(
    private readonly preferences: Preferences,
    private readonly email: EmailSender,
  ) {}

  /** How many external deliveries it queued: none when this happening was already notified (the same event, or another report of it). */
  async notify(tx: NotificationTx, request: NotificationRequest): Promise<number> {
    const dedupeKey = `${request.type}:${request.subject}`;
    if (await tx.notification.findUnique({ where: { dedupeKey }, select: { id: true } })) return 0;
    const [locale, channels] = await Promise.all([this.preferences.locale(tx, request.userId), this.preferences.channels(tx, request.userId, request.type)]);
    const { title, body } = render(request.type, locale, request.facts);
    const notification = await tx.notification.create({
      data: { userId: request.userId, type: request.type, dedupeKey, eventId: request.eventId, locale, title, body, data: request.facts, inApp: channels.inApp },
    });
    const deliveries: Array<{ channel: 'email' | 'webhook'; webhookId?: string }> = [];
    if (channels.email && this.email.enabled) deliveries.push({ channel: 'email' });
    if (channels.webhook) {
      const webhooks = await tx.webhook.findMany({
        where: { userId: request.userId, deletedAt: null, OR: [{ events: { isEmpty: true } }, { events: { has: request.type } }] },
        select: { id: true },
      });
      deliveries.push(...webhooks.map((webhook) => ({ channel: 'webhook' as const, webhookId: webhook.id })));
    }
    if (deliveries.length > 0) {
      const traced = storedTraceContext();
      await tx.delivery.createMany({ data: deliveries.map((delivery) => ({ ...delivery, ...traced, notificationId: notification.id, userId: request.userId })) });
    }
    return deliveries.length;
  }
}

/** What a delivery keeps of the work that queued it, so that its attempts (later, in the dispatch) continue its trace. */
function storedTraceContext() {
  const { traceparent, tracestate } = currentTraceCarrier();
  return { traceparent: traceparent ?? null, tracestate: tracestate ?? null, correlationId: currentCorrelationId() ?? null };
}
