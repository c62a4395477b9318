import { Injectable } from '@nestjs/common';
import { CommitBatch, queryNamed, type SqlExecutor } from '@bitro/messaging';
import { currentCorrelationId, currentTraceCarrier } from '@bitro/tracing';
import { DEFAULT_LOCALE, localeSchema, type NotificationRequest } from '../catalogue/notification-types';
import { EmailSender } from '../delivery/email-sender';
import { ALL_ON } from '../preferences/preferences';
import { render } from '../templates/render';

/**
 * Everything the notifications of a transaction are written from, in one statement, per request in order: whether
 * this happening was notified already, the user's locale, their channels for the type (all on without a preference
 * row), and the webhooks that take it.
 */
const READ = {
  name: 'notification.notify-read',
  text: `SELECT EXISTS (SELECT 1 FROM "notification"."notifications" WHERE dedupe_key = r.dedupe_key) AS notified,
                (SELECT locale FROM "notification"."settings" WHERE user_id = r.user_id) AS locale,
                p.in_app AS "inApp", p.email, p.webhook,
                ARRAY(SELECT id::text FROM "notification"."webhooks"
                       WHERE user_id = r.user_id AND deleted_at IS NULL AND (cardinality(events) = 0 OR r.type = ANY(events))
                       ORDER BY created_at, id) AS "webhookIds"
           FROM unnest($1::text[], $2::uuid[], $3::text[]) WITH ORDINALITY AS r(dedupe_key, user_id, type, i)
           LEFT JOIN "notification"."preferences" p ON p.user_id = r.user_id AND p.type = r.type
          ORDER BY r.i`,
};

/**
 * The notifications and their deliveries in one statement; a notification of the same happening committed meanwhile
 * wins. `created_at` is the process's clock when the handler asked, as the ORM wrote it: notifications of one
 * transaction keep their order.
 */
const WRITE = {
  name: 'notification.notify-write',
  text: `WITH n AS (
           SELECT * FROM jsonb_to_recordset($1::jsonb) AS n(user_id uuid, type text, dedupe_key text, event_id uuid, locale text, title text, body text,
                                                            data jsonb, in_app boolean, created_at timestamptz, traceparent text, tracestate text,
                                                            correlation_id text, deliveries jsonb)
         ), notification AS (
           INSERT INTO "notification"."notifications" (id, user_id, type, dedupe_key, event_id, locale, title, body, data, in_app, created_at)
           SELECT gen_random_uuid(), user_id, type, dedupe_key, event_id, locale, title, body, data, in_app, created_at FROM n
           ON CONFLICT (dedupe_key) DO NOTHING RETURNING id, dedupe_key
         ), deliveries AS (
           INSERT INTO "notification"."deliveries" (id, notification_id, user_id, channel, webhook_id, traceparent, tracestate, correlation_id)
           SELECT gen_random_uuid(), notification.id, n.user_id, d.channel::"notification"."Channel", d.webhook_id, n.traceparent, n.tracestate, n.correlation_id
             FROM notification JOIN n USING (dedupe_key), jsonb_to_recordset(n.deliveries) AS d(channel text, webhook_id uuid)
           RETURNING id
         )
         SELECT (SELECT count(*) FROM deliveries)::int AS deliveries`,
};

interface ReadRow {
  notified: boolean;
  locale: string | null;
  inApp: boolean | null;
  email: boolean | null;
  webhook: boolean | null;
  webhookIds: string[];
}

/** A request as the handler made it, with what its notification keeps of the handling (trace, correlation, time). */
interface Requested extends NotificationRequest {
  dedupeKey: string;
  traceparent: string | null;
  tracestate: string | null;
  correlationId: string | null;
  requestedAt: string;
}

/**
 * Writes notifications, in the caller's transaction only: the inbox row, rendered in the user's locale, and one
 * pending delivery per enabled external channel (the delivery dispatch sends them). Those of one transaction (a
 * consumer's batch) are read and written together just before it commits. Nothing here waits on a network.
 */
@Injectable()
export class Notifier {
  private readonly requests = new CommitBatch<Requested>((tx, requests) => this.write(tx, requests));
  /** The transactions (of this process, not yet committed) that queued an e-mail or webhook delivery. */
  private readonly queued = new WeakSet<SqlExecutor>();

  constructor(private readonly email: EmailSender) {}

  /** Notifies of this happening in `tx`, unless it was notified already (the same event, or another report of it). */
  notify(tx: SqlExecutor, request: NotificationRequest): Promise<void> {
    const { traceparent, tracestate } = currentTraceCarrier();
    return this.requests.add(tx, {
      ...request,
      dedupeKey: `${request.type}:${request.subject}`,
      traceparent: traceparent ?? null,
      tracestate: tracestate ?? null,
      correlationId: currentCorrelationId() ?? null,
      requestedAt: new Date().toISOString(),
    });
  }

  /** Whether `tx`'s notifications queued an e-mail or webhook delivery: known once they are written (it committed). */
  queuedDeliveries(tx: SqlExecutor): boolean {
    return this.queued.has(tx);
  }

  private async write(tx: SqlExecutor, requested: Requested[]): Promise<void> {
    // One notification per happening: the transaction's first report of it (a second, in the same statement, would
    // also be given the first one's deliveries).
    const requests = requested.filter((request, i) => requested.findIndex((other) => other.dedupeKey === request.dedupeKey) === i);
    const reads = await queryNamed<ReadRow>(tx, READ, [requests.map((r) => r.dedupeKey), requests.map((r) => r.userId), requests.map((r) => r.type)]);
    const rows = requests.flatMap((request, i) => {
      const read = reads[i];
      return read && !read.notified ? [this.rowOf(request, read)] : [];
    });
    if (rows.length === 0) return;
    const [written] = await queryNamed<{ deliveries: number }>(tx, WRITE, [JSON.stringify(rows)]);
    if (Number(written?.deliveries ?? 0) > 0) this.queued.add(tx);
  }

  private rowOf(request: Requested, read: ReadRow) {
    const locale = localeSchema.catch(DEFAULT_LOCALE).parse(read.locale);
    const channels = read.inApp === null ? ALL_ON : { inApp: read.inApp, email: Boolean(read.email), webhook: Boolean(read.webhook) };
    const { title, body } = render(request.type, locale, request.facts);
    const deliveries: Array<{ channel: 'email' | 'webhook'; webhook_id: string | null }> = [];
    if (channels.email && this.email.enabled) deliveries.push({ channel: 'email', webhook_id: null });
    if (channels.webhook) deliveries.push(...read.webhookIds.map((id) => ({ channel: 'webhook' as const, webhook_id: id })));
    return {
      user_id: request.userId,
      type: request.type,
      dedupe_key: request.dedupeKey,
      event_id: request.eventId,
      locale,
      title,
      body,
      data: request.facts,
      in_app: channels.inApp,
      created_at: request.requestedAt,
      traceparent: request.traceparent,
      tracestate: request.tracestate,
      correlation_id: request.correlationId,
      deliveries,
    };
  }
}
