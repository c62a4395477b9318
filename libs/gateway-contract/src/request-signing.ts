import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HMAC signing of internal requests from bitro-api to bitcoin-gateway.
 *
 *   X-Bitro-Timestamp: <unix seconds>
 *   X-Bitro-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<METHOD>.<path>.<hex sha256(body)>")>
 *
 * `path` is the request target as sent (path plus query string, if any); `body` the exact bytes sent
 * (empty for none). There is deliberately no nonce: a captured request can only be replayed inside the
 * replay window, and every internal endpoint is idempotent (address issuing returns the same unused address,
 * validation and fee estimates are reads), so a replay changes nothing. That keeps the gateway stateless.
 */
export const TIMESTAMP_HEADER = 'X-Bitro-Timestamp';
export const SIGNATURE_HEADER = 'X-Bitro-Signature';
export const DEFAULT_REPLAY_WINDOW_SECONDS = 300;

const SIGNATURE_VERSION = 'v1';
const SIGNATURE_PATTERN = /^v1=([0-9a-f]{64})$/;
const TIMESTAMP_PATTERN = /^[0-9]{1,15}$/;

export interface SignRequestInput {
  method: string;
  path: string;
  body: string | Uint8Array;
  secret: string;
  /** Unix seconds; defaults to now. */
  timestamp?: number;
}

export interface SignedHeaders {
  [TIMESTAMP_HEADER]: string;
  [SIGNATURE_HEADER]: string;
}

export function signRequest({ method, path, body, secret, timestamp = nowSeconds() }: SignRequestInput): SignedHeaders {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new Error('timestamp must be a non-negative integer (unix seconds)');
  if (secret.length === 0) throw new Error('secret must not be empty');
  const ts = String(timestamp);
  return {
    [TIMESTAMP_HEADER]: ts,
    [SIGNATURE_HEADER]: `${SIGNATURE_VERSION}=${computeSignature(secret, ts, method, path, body)}`,
  };
}

export type VerifyFailureReason =
  | 'missing-timestamp'
  | 'missing-signature'
  | 'malformed-timestamp'
  | 'malformed-signature'
  | 'stale-timestamp'
  | 'future-timestamp'
  | 'bad-signature';

export type VerifyResult = { ok: true; timestamp: number } | { ok: false; reason: VerifyFailureReason; message: string };

export interface VerifyRequestInput {
  method: string;
  path: string;
  body: string | Uint8Array;
  /** Request headers as Node/Fastify give them (any case; arrays for repeated headers). */
  headers: Record<string, string | string[] | undefined>;
  /** The shared secret; several during a rotation (any one may match). */
  secret: string | readonly string[];
  /** Maximum allowed distance between the request's timestamp and now, both directions. */
  replayWindowSeconds?: number;
  /** Unix seconds; defaults to now. */
  now?: number;
}

export function verifyRequest(input: VerifyRequestInput): VerifyResult {
  const { method, path, body, headers, replayWindowSeconds = DEFAULT_REPLAY_WINDOW_SECONDS, now = nowSeconds() } = input;
  const secrets = typeof input.secret === 'string' ? [input.secret] : input.secret;
  if (secrets.length === 0 || secrets.some((s) => s.length === 0)) throw new Error('secret must not be empty');

  const ts = header(headers, TIMESTAMP_HEADER);
  if (ts === undefined) return fail('missing-timestamp', `${TIMESTAMP_HEADER} header is missing`);
  const signature = header(headers, SIGNATURE_HEADER);
  if (signature === undefined) return fail('missing-signature', `${SIGNATURE_HEADER} header is missing`);
  if (ts === null || !TIMESTAMP_PATTERN.test(ts)) return fail('malformed-timestamp', `${TIMESTAMP_HEADER} must be unix seconds`);
  const match = signature === null ? null : SIGNATURE_PATTERN.exec(signature);
  if (!match) return fail('malformed-signature', `${SIGNATURE_HEADER} must be v1=<64 hex characters>`);

  const timestamp = Number(ts);
  if (timestamp < now - replayWindowSeconds) return fail('stale-timestamp', `request is older than ${replayWindowSeconds} s`);
  if (timestamp > now + replayWindowSeconds) return fail('future-timestamp', `request is more than ${replayWindowSeconds} s in the future`);

  const given = Buffer.from(match[1], 'hex');
  const matches = secrets.some((secret) => timingSafeEqual(given, Buffer.from(computeSignature(secret, ts, method, path, body), 'hex')));
  return matches ? { ok: true, timestamp } : fail('bad-signature', 'signature does not match the request');
}

function computeSignature(secret: string, ts: string, method: string, path: string, body: string | Uint8Array): string {
  const bodyHash = createHash('sha256').update(body).digest('hex');
  return createHmac('sha256', secret).update(`${ts}.${method.toUpperCase()}.${path}.${bodyHash}`).digest('hex');
}

/** undefined: absent; null: present but repeated (ambiguous, treated as malformed). */
function header(headers: VerifyRequestInput['headers'], name: string): string | null | undefined {
  const lower = name.toLowerCase();
  const values = Object.entries(headers)
    .filter(([key, value]) => key.toLowerCase() === lower && value !== undefined)
    .flatMap(([, value]) => (Array.isArray(value) ? value : [value as string]));
  if (values.length === 0) return undefined;
  return values.length === 1 ? values[0].trim() : null;
}

function fail(reason: VerifyFailureReason, message: string): VerifyResult {
  return { ok: false, reason, message };
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
