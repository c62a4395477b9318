import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhookSignature } from './webhook-signature';

const secret = 'whsec_test';
const body = '{"id":"1","type":"withdrawal.confirmed"}';

describe('webhook signatures', () => {
  it('signs "<t>.<body>" with HMAC-SHA256 and verifies it', () => {
    const header = signWebhook(secret, body, 1_700_000_000);
    expect(header).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(secret, header, body, 300, 1_700_000_100_000)).toBe(true);
  });

  it('refuses another body, another secret, a stale timestamp and garbage', () => {
    const header = signWebhook(secret, body, 1_700_000_000);
    const now = 1_700_000_000_000;
    expect(verifyWebhookSignature(secret, header, `${body} `, 300, now)).toBe(false);
    expect(verifyWebhookSignature('other', header, body, 300, now)).toBe(false);
    expect(verifyWebhookSignature(secret, header, body, 300, now + 301_000)).toBe(false);
    expect(verifyWebhookSignature(secret, 't=x,v1=zz', body, 300, now)).toBe(false);
    expect(verifyWebhookSignature(secret, undefined, body, 300, now)).toBe(false);
  });
});
