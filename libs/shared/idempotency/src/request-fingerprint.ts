import { createHash, createHmac } from 'node:crypto';

/** A request as the route has validated and normalised it: what makes two requests "the same". */
export interface FingerprintedRequest {
  method: string;
  /** The path as requested (ids filled in), without the query string. */
  path: string;
  body: unknown;
}

/**
 * JSON with the keys of every object sorted and undefined members left out, bigints as decimal strings: one text
 * for one value, whatever the order its fields were written in.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, member: unknown) => {
    if (typeof member === 'bigint') return member.toString();
    if (member === null || typeof member !== 'object' || Array.isArray(member)) return member;
    const object = member as Record<string, unknown>;
    return Object.fromEntries(Object.keys(object).sort().map((key) => [key, object[key]]));
  });
}

/**
 * The fingerprint of a request, stored with its key (hex): SHA-256 of its canonical form, or HMAC-SHA256 under
 * `secret` when the body holds a secret (a PIN), so that the stored fingerprint cannot be tried against guesses.
 */
export function requestFingerprint(request: FingerprintedRequest, secret?: string | Buffer): string {
  const canonical = canonicalJson([request.method.toUpperCase(), request.path, request.body ?? null]);
  const hash = secret === undefined ? createHash('sha256') : createHmac('sha256', secret);
  return hash.update(canonical, 'utf8').digest('hex');
}
