import { createHmac, timingSafeEqual } from 'node:crypto';

/** The headers of every notification webhook request. */
export const WEBHOOK_SIGNATURE_HEADER = 'bitro-signature';
/** The delivery's id: the same on every retry, so a receiver can drop duplicates. */
export const WEBHOOK_DELIVERY_HEADER = 'bitro-delivery-id';
export const WEBHOOK_EVENT_HEADER = 'bitro-event';

const hmac = (secret: string, timestamp: number, rawBody: string): string => createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" under the webhook's secret>`. */
export function signWebhook(secret: string, rawBody: string, timestamp = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${hmac(secret, timestamp, rawBody)}`;
}

/**
 * What a receiver does: true when `header` signs `rawBody` under `secret` and its timestamp is within
 * `toleranceSeconds` of `now` (a replayed old request fails).
 */
export function verifyWebhookSignature(secret: string, header: string | undefined, rawBody: string, toleranceSeconds = 300, now = Date.now()): boolean {
  const parts = new Map((header ?? '').split(',').map((part) => part.split('=', 2) as [string, string]));
  const timestamp = Number(parts.get('t'));
  const signature = parts.get('v1') ?? '';
  if (!Number.isInteger(timestamp) || Math.abs(now / 1000 - timestamp) > toleranceSeconds || !/^[0-9a-f]{64}$/.test(signature)) return false;
  return timingSafeEqual(Buffer.from(signature, 'hex'), Buffer.from(hmac(secret, timestamp, rawBody), 'hex'));
}

/** {@link verifyWebhookSignature} of a whole request: its `bitro-signature` header among `headers`. */
export function verifyWebhookRequest(secret: string, headers: Readonly<Record<string, string | string[] | undefined>>, rawBody: string): boolean {
  const header = headers[WEBHOOK_SIGNATURE_HEADER];
  return verifyWebhookSignature(secret, Array.isArray(header) ? header[0] : header, rawBody);
}
