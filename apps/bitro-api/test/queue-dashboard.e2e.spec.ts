import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAdmin, signUp, startTestApp, type TestApp } from './test-app';

let app: TestApp;
let adminToken: string;
let userToken: string;

beforeAll(async () => {
  app = await startTestApp({ LOG_LEVEL: 'silent' });
  adminToken = (await signInAdmin(app)).token;
  userToken = (await signUp(app)).token;
});

afterAll(async () => {
  await app?.close();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(app.url + path, { headers, redirect: 'manual' });

describe('queue dashboard at /admin/queues', () => {
  it('refuses anonymous callers (401) and non-admins (403) with problem+json', async () => {
    const anonymous = await get('/admin/queues');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await get('/admin/queues', { authorization: 'Bearer not-a-token' })).status).toBe(401);
    expect((await get('/admin/queues', { authorization: `Bearer ${userToken}` })).status).toBe(403);
    expect((await get(`/admin/queues/api/queues?access_token=${userToken}`)).status).toBe(403);
  });

  it('shows an admin every queue of messaging, the gateway command queue included', async () => {
    const page = await get('/admin/queues', { authorization: `Bearer ${adminToken}` });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const api = await get('/admin/queues/api/queues', { authorization: `Bearer ${adminToken}` });
    expect(api.status).toBe(200);
    const names = ((await api.json()) as { queues: Array<{ name: string }> }).queues.map((queue) => queue.name);
    expect(names).toEqual(expect.arrayContaining(['messaging-outbox-relay', 'messaging-consumer-wallet', 'gateway-commands', 'gateway-events']));
  });

  it('lets a browser in with ?access_token= once, then by an HttpOnly cookie scoped to the dashboard', async () => {
    const first = await get(`/admin/queues?access_token=${adminToken}`);
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/admin/queues');
    const cookie = first.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^bitro_queue_dashboard=[^;]+; Path=\/admin\/queues; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    const next = await get('/admin/queues', { cookie: cookie.split(';')[0] ?? '' });
    expect(next.status).toBe(200);
  });
});
