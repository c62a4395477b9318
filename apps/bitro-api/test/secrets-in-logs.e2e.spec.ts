import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAdmin, startTestApp, type TestApp } from './test-app';

let api: TestApp;
let adminToken: string;

beforeAll(async () => {
  // The test's own requests come from 127.0.0.1: they play the proxy.
  api = await startTestApp({ TRUST_PROXY: '127.0.0.1' });
  adminToken = (await signInAdmin(api)).token;
});
afterAll(() => api?.close());

const dashboard = (headers: Record<string, string> = {}) => fetch(`${api.url}/admin/queues?access_token=${adminToken}`, { headers, redirect: 'manual' });

describe('secrets in request URLs', () => {
  it('never logs a query string secret, keeping the rest of the URL', async () => {
    expect((await dashboard()).status).toBe(303);
    await fetch(`${api.url}/v1/nothing-here?token=tok-${adminToken.slice(-12)}&code=918273&client_secret=shh-42&page=2`);
    const logged = api.rawLogs();
    expect(logged).toContain('/admin/queues?access_token=[redacted]');
    expect(logged).toContain('/v1/nothing-here?token=[redacted]&code=[redacted]&client_secret=[redacted]&page=2');
    for (const secret of [adminToken, adminToken.slice(-12), '918273', 'shh-42']) expect(logged).not.toContain(secret);
  });
});

describe('the queue dashboard cookie', () => {
  it('is Secure when a trusted proxy says the request came over HTTPS', async () => {
    expect((await dashboard({ 'x-forwarded-proto': 'https' })).headers.get('set-cookie')).toMatch(/; Secure$/);
    expect((await dashboard()).headers.get('set-cookie')).not.toMatch(/Secure/);
  });

  it('believes X-Forwarded-Proto from trusted proxies only', async () => {
    const direct = await startTestApp({}, api);
    try {
      const response = await fetch(`${direct.url}/admin/queues?access_token=${adminToken}`, { headers: { 'x-forwarded-proto': 'https' }, redirect: 'manual' });
      expect(response.status).toBe(303);
      expect(response.headers.get('set-cookie')).not.toMatch(/Secure/);
    } finally {
      await direct.close();
    }
  });
});
