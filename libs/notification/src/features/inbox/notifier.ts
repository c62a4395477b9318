import { Injectable } from '@nestjs/common';
import { queryNamed, type SqlExecutor } from '@bitro/messaging';
import { currentCorrelationId, currentTraceCarrier } from '@bitro/tracing';
import { DEFAULT_LOCALE, localeSchema, type NotificationRequest } from '../catalogue/notification-types';
import { EmailSender } from '../delivery/email-sender';
import { ALL_ON } from '../preferences/preferences';
import { render } from '../templates/render';

/**
 * Everything a notification is written from, in one statement: whether this happening was notified already, the
 * user's locale, their channels for the type (all on without a preference row), and the webhooks that take it.
 */
const READ = {
  name: 'notification.notify-read',
  text: `SELECT EXISTS (SELECT 1 FROM "notification"."notifications" WHERE dedupe_key = $1) AS notified,
                (SELECT locale FROM "notification"."settings" WHERE user_id = $2::uuid) AS locale,
                p.in_app AS "inApp", p.email, p.webhook,
                ARRAY(SELECT id::text FROM "notification"."webhooks"
                       WHERE user_id = $2::uuid AND deleted_at IS NULL AND (cardinality(events) = 0 OR $3 = ANY(events))
                       ORDER BY created_at, id) AS "webhookIds"
           FROM (SELECT 1) AS one
           LEFT JOIN "notification"."preferences" p ON p.user_id = $2::uuid AND p.type = $3`,
};

/**
 * The notification and its deliveries in one statement; a notification of the same happening committed meanwhile wins.
 * `created_at` is the process's clock, as the ORM wrote it: notifications of one transaction keep their order.
 */
const WRITE = {
  name: 'notification.notify-write',
  text: `WITH notification AS (
           INSERT INTO "notification"."notifications" (id, user_id, type, dedupe_key, event_id, locale, title, body, data, in_app, created_at)
           VALUES (gen_random_uuid(), $1::uuid, $2, $3, $4::uuid, $5, $6, $7, $8::jsonb, $9, $14::timestamptz)
           ON CONFLICT (dedupe_key) DO NOTHING RETURNING id
         ), deliveries AS (
           INSERT INTO "notification"."deliveries" (id, notification_id, user_id, channel, webhook_id, traceparent, tracestate, correlation_id)
           SELECT gen_random_uuid(), notification.id, $1::uuid, d.channel::"notification"."Channel", d.webhook_id, $11, $12, $13
             FROM notification, jsonb_to_recordset($10::jsonb) AS d(channel text, webhook_id uuid)
           RETURNING id
         )
         SELECT (SELECT count(*) FROM deliveries)::int AS deliveries FROM notification`,
};

interface ReadRow {
  notified: boolean;
  locale: string | null;
  inApp: boolean | null;
  email: boolean | null;
  webhook: boolean | null;
  webhookIds: string[];
}

/**
 * Writes a notification, in the caller's transaction only: the inbox row, rendered in the user's locale, and one
 * pending delivery per enabled external channel (the delivery dispatch sends them). Nothing here waits on a network.
 */
@Injectable()
export class Notifier {
  constructor(private readonly email: EmailSender) {}

  /** How many external deliveries it queued: none when this happening was already notified (the same event, or another report of it). */
  async notify(tx: SqlExecutor, request: NotificationRequest): Promise<number> {
    const dedupeKey = `${request.type}:${request.subject}`;
    const [read] = await queryNamed<ReadRow>(tx, READ, [dedupeKey, request.userId, request.type]);
    if (!read || read.notified) return 0;
    const locale = localeSchema.catch(DEFAULT_LOCALE).parse(read.locale);
    const channels = read.inApp === null ? ALL_ON : { inApp: read.inApp, email: Boolean(read.email), webhook: Boolean(read.webhook) };
    const { title, body } = render(request.type, locale, request.facts);
    const deliveries: Array<{ channel: 'email' | 'webhook'; webhook_id: string | null }> = [];
    if (channels.email && this.email.enabled) deliveries.push({ channel: 'email', webhook_id: null });
    if (channels.webhook) deliveries.push(...read.webhookIds.map((id) => ({ channel: 'webhook' as const, webhook_id: id })));
    const { traceparent, tracestate } = currentTraceCarrier();
    const [written] = await queryNamed<{ deliveries: number }>(tx, WRITE, [
      request.userId,
      request.type,
      dedupeKey,
      request.eventId,
      locale,
      title,
      body,
      JSON.stringify(request.facts),
      channels.inApp,
      JSON.stringify(deliveries),
      traceparent ?? null,
      tracestate ?? null,
      currentCorrelationId() ?? null,
      new Date().toISOString(),
    ]);
    return written ? Number(written.deliveries) : 0;
  }
}
