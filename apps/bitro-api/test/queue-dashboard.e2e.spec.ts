import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { call, signInAdmin, signUp, startTestApp, type TestApp, until } from './test-app';

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
    expect(names).toEqual(expect.arrayContaining(['messaging-consumer-wallet', 'gateway-commands', 'gateway-commands-acks', 'gateway-events']));
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

describe('the dashboard and sessions', () => {
  it('refuses an admin token whose session has ended (logout)', async () => {
    const admin = await signInAdmin(app);
    expect((await get('/admin/queues', { authorization: `Bearer ${admin.token}` })).status).toBe(200);
    expect((await call(app.url, 'POST', '/v1/auth/logout', { body: { refreshToken: admin.refreshToken } })).status).toBe(204);
    const after = await get('/admin/queues', { authorization: `Bearer ${admin.token}` });
    expect(after.status).toBe(401);
    expect(((await after.json()) as { detail: string }).detail).toMatch(/session .* has ended/);
  });
});

describe('the dashboard cannot mint', () => {
  const send = (method: string, path: string, body?: unknown) =>
    fetch(app.url + path, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('refuses to add, edit, promote, clean or remove jobs (403 problem), and audits a retry', async () => {
    const forged = { name: 'giftcard.redemption-approved.v1', data: {}, options: {} };
    for (const [method, path, body] of [
      ['POST', '/admin/queues/api/queues/messaging-consumer-wallet/add', forged],
      ['POST', '/admin/queues/api/queues/gateway-commands/add', forged],
      ['PATCH', '/admin/queues/api/queues/messaging-consumer-wallet/some-job/update-data', { data: {} }],
      ['PUT', '/admin/queues/api/queues/messaging-consumer-wallet/clean/completed', undefined],
      ['PUT', '/admin/queues/api/queues/messaging-consumer-wallet/empty', undefined],
      ['PUT', '/admin/queues/api/queues/messaging-consumer-wallet/obliterate', undefined],
    ] as const) {
      const answer = await send(method, path, body);
      expect(answer.status, `${method} ${path}`).toBe(403);
      expect(((await answer.json()) as { type: string }).type).toBe('https://bitro.dev/problems/dashboard-read-only');
    }
    const retry = await send('PUT', '/admin/queues/api/queues/messaging-consumer-wallet/retry/failed');
    expect(retry.status).toBeLessThan(300);
    const pool = new Pool({ connectionString: app.database.url });
    onTestFinished(() => pool.end());
    const { rows } = await pool.query(`SELECT payload->>'subject' AS subject FROM "audit"."records" WHERE payload->>'action' = 'queue.retry'`);
    expect(rows).toEqual([{ subject: 'queue:messaging-consumer-wallet/failed' }]);
  });

  it('a forged approved event put straight into the wallet queue (anyone with Redis access) credits nothing', async () => {
    const user = await signUp(app);
    const connection = new Redis(app.env.REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue('messaging-consumer-wallet', { connection, prefix: `${app.redis.prefix}bull` });
    onTestFinished(async () => {
      await queue.close();
      await connection.quit();
    });
    const event = {
      id: randomUUID(),
      name: 'giftcard.redemption-approved.v1',
      occurredAt: new Date().toISOString(),
      payload: { redemptionId: randomUUID(), userId: user.id, brand: 'culture', faceValueKrw: '1000000', feeKrw: '0', priceKrwPerBtc: '100000000', amountSats: '1000000' },
    };
    await queue.add(event.name, event, { jobId: `${event.id}.wallet` });
    await until('the forged job is refused', () => queue.getJobState(`${event.id}.wallet`), (state) => state === 'failed');
    const balance = await call<{ availableSats: string }>(app.url, 'GET', '/v1/wallet/balance', { token: user.token });
    expect(balance.body.availableSats).toBe('0');
  });
});
