import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, requestFingerprint } from './request-fingerprint';

describe('canonicalJson', () => {
  it('sorts the keys of every object, keeps array order, drops undefined members and writes bigints as decimals', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined }, n: 12345678901234567890n })).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1,"n":"12345678901234567890"}');
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
  });
});

describe('requestFingerprint', () => {
  const request = { method: 'POST', path: '/v1/things', body: { amount: '10', to: 'x' } };

  it('is the same for the same method, path and body, however written, and differs when any of them does', () => {
    const fingerprint = requestFingerprint(request);
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(requestFingerprint({ method: 'post', path: '/v1/things', body: { to: 'x', amount: '10' } })).toBe(fingerprint);
    for (const other of [
      { ...request, method: 'PUT' },
      { ...request, path: '/v1/things/1' },
      { ...request, body: { amount: '11', to: 'x' } },
      { ...request, body: undefined },
    ]) {
      expect(requestFingerprint(other), JSON.stringify(other)).not.toBe(fingerprint);
    }
    expect(requestFingerprint({ ...request, body: undefined })).toBe(requestFingerprint({ ...request, body: null }));
  });

  it('is an HMAC under a secret, for bodies that hold one', () => {
    const keyed = requestFingerprint(request, 'secret-1');
    expect(keyed).toBe(createHmac('sha256', 'secret-1').update('["POST","/v1/things",{"amount":"10","to":"x"}]').digest('hex'));
    expect(keyed).not.toBe(requestFingerprint(request));
    expect(keyed).not.toBe(requestFingerprint(request, 'secret-2'));
  });
});
