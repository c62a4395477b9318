import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signRequest, verifyRequest, type VerifyRequestInput } from './request-signing';

const secret = 'a-very-long-shared-secret-for-tests-0123456789';
const now = 1_790_000_000;
const request = { method: 'POST', path: '/internal/v1/deposit-addresses', body: '{"userId":"7d1d5a8e-3a4f-4b6c-9a53-2f0e4b8a1c11"}' };

function signed(overrides: Partial<VerifyRequestInput> = {}, timestamp = now): VerifyRequestInput {
  const headers = signRequest({ ...request, secret, timestamp });
  return { ...request, headers: { ...headers }, secret, now, ...overrides };
}

describe('request signing', () => {
  it('signs "<timestamp>.<METHOD>.<path>.<sha256(body)>" with HMAC-SHA256', () => {
    const headers = signRequest({ ...request, method: 'post', secret, timestamp: now });
    const bodyHash = createHash('sha256').update(request.body).digest('hex');
    const expected = createHmac('sha256', secret).update(`${now}.POST.${request.path}.${bodyHash}`).digest('hex');
    expect(headers).toEqual({ [TIMESTAMP_HEADER]: String(now), [SIGNATURE_HEADER]: `v1=${expected}` });
  });

  it('verifies its own signature, with headers in any case and a Buffer body', () => {
    expect(verifyRequest(signed())).toEqual({ ok: true, timestamp: now });
    const headers = signRequest({ ...request, secret, timestamp: now });
    const lowerCased = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    expect(verifyRequest({ ...request, body: Buffer.from(request.body), headers: lowerCased, secret, now }).ok).toBe(true);
  });

  it('verifies an empty body', () => {
    const headers = signRequest({ method: 'GET', path: '/internal/v1/x?y=1', body: '', secret, timestamp: now });
    expect(verifyRequest({ method: 'GET', path: '/internal/v1/x?y=1', body: '', headers: { ...headers }, secret, now }).ok).toBe(true);
    expect(verifyRequest({ method: 'GET', path: '/internal/v1/x?y=2', body: '', headers: { ...headers }, secret, now })).toMatchObject({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it.each([
    ['body', { body: request.body.replace('7d1d', '7d1e') }],
    ['path', { path: '/internal/v1/addresses/validate' }],
    ['method', { method: 'PUT' }],
    ['secret', { secret: 'another-secret-of-sufficient-length-000000' }],
  ])('rejects a tampered %s as bad-signature', (_what, overrides) => {
    expect(verifyRequest(signed(overrides))).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('rejects a timestamp changed after signing', () => {
    const input = signed();
    input.headers[TIMESTAMP_HEADER] = String(now - 1);
    expect(verifyRequest(input)).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('accepts any of several secrets during a rotation', () => {
    expect(verifyRequest(signed({ secret: ['new-secret-new-secret-new-secret-new', secret] })).ok).toBe(true);
    expect(verifyRequest(signed({ secret: ['new-secret-new-secret-new-secret-new'] }))).toMatchObject({ reason: 'bad-signature' });
  });

  it('enforces the replay window in both directions (default 300 s, inclusive)', () => {
    expect(verifyRequest(signed({}, now - 300)).ok).toBe(true);
    expect(verifyRequest(signed({}, now + 300)).ok).toBe(true);
    expect(verifyRequest(signed({}, now - 301))).toMatchObject({ ok: false, reason: 'stale-timestamp' });
    expect(verifyRequest(signed({}, now + 301))).toMatchObject({ ok: false, reason: 'future-timestamp' });
  });

  it('takes a configurable replay window', () => {
    expect(verifyRequest(signed({ replayWindowSeconds: 30 }, now - 31))).toMatchObject({ ok: false, reason: 'stale-timestamp' });
    expect(verifyRequest(signed({ replayWindowSeconds: 30 }, now + 30)).ok).toBe(true);
  });

  it('reports missing headers', () => {
    const input = signed();
    expect(verifyRequest({ ...input, headers: { [SIGNATURE_HEADER]: input.headers[SIGNATURE_HEADER] } })).toMatchObject({
      ok: false,
      reason: 'missing-timestamp',
    });
    expect(verifyRequest({ ...input, headers: { [TIMESTAMP_HEADER]: String(now) } })).toMatchObject({ ok: false, reason: 'missing-signature' });
  });

  it.each([
    ['a non-numeric timestamp', { [TIMESTAMP_HEADER]: 'yesterday' }, 'malformed-timestamp'],
    ['a fractional timestamp', { [TIMESTAMP_HEADER]: '1790000000.5' }, 'malformed-timestamp'],
    ['a repeated timestamp', { [TIMESTAMP_HEADER]: [String(now), String(now)] }, 'malformed-timestamp'],
    ['a signature without version', { [SIGNATURE_HEADER]: 'a'.repeat(64) }, 'malformed-signature'],
    ['an unknown signature version', { [SIGNATURE_HEADER]: `v2=${'a'.repeat(64)}` }, 'malformed-signature'],
    ['a short signature', { [SIGNATURE_HEADER]: `v1=${'a'.repeat(63)}` }, 'malformed-signature'],
    ['an upper-case hex signature', { [SIGNATURE_HEADER]: `v1=${'A'.repeat(64)}` }, 'malformed-signature'],
  ])('rejects %s', (_what, override, reason) => {
    const input = signed();
    expect(verifyRequest({ ...input, headers: { ...input.headers, ...override } })).toMatchObject({ ok: false, reason });
  });

  it('refuses to sign or verify with an empty secret', () => {
    expect(() => signRequest({ ...request, secret: '' })).toThrow();
    expect(() => verifyRequest(signed({ secret: '' }))).toThrow();
  });
});
