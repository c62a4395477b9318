import { randomUUID } from 'node:crypto';
import { requestJson } from '@bitro/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startWalletApp, type WalletTestApp } from './wallet-test-context';

const checkedAt = '2026-12-01T09:00:00.000Z';
const mismatch = {
  id: randomUUID(),
  checkedAt,
  tipHeight: 812,
  status: 'mismatch' as const,
  walletSats: '150000000',
  expectedSats: '149990000',
  differenceSats: '10000',
  figures: { differences: { total: '10000' } },
  acknowledgedAt: null,
  acknowledgedBy: null,
};

let api: WalletTestApp;
let admin: { id: string; token: string };

beforeAll(async () => {
  api = await startWalletApp();
  admin = api.signIn('admin');
});

afterAll(async () => {
  await api?.close();
});

beforeEach(() => {
  api.gateway.mode = 'up';
  api.gateway.calls.length = 0;
  api.gateway.reserves = { report: { toleranceSats: '1000', paused: { since: checkedAt, checkId: mismatch.id, differenceSats: '10000' }, checks: [mismatch] }, openMismatches: 1 };
  api.audit.reset();
});

describe('GET /v1/admin/reserves', () => {
  it("answers the gateway's report, asking for 20 checks unless told otherwise", async () => {
    const report = await requestJson(api.url, 'GET', '/v1/admin/reserves', { token: admin.token });
    expect(report.status).toBe(200);
    expect(report.body).toEqual(api.gateway.reserves.report);
    expect((await requestJson(api.url, 'GET', '/v1/admin/reserves?limit=3', { token: admin.token })).status).toBe(200);
    expect(api.gateway.calls.map((call) => call.body)).toEqual([{ limit: 20 }, { limit: 3 }]);
  });

  it('is for admins only, and refuses a limit out of range without asking the gateway', async () => {
    expect((await requestJson(api.url, 'GET', '/v1/admin/reserves')).status).toBe(401);
    expect((await requestJson(api.url, 'GET', '/v1/admin/reserves', { token: api.signIn('user').token })).status).toBe(403);
    expect((await requestJson(api.url, 'GET', '/v1/admin/reserves?limit=501', { token: admin.token })).status).toBe(400);
    expect(api.gateway.calls).toEqual([]);
  });

  it('answers 503 gateway-unavailable with Retry-After when the gateway cannot answer', async () => {
    api.gateway.mode = 'down';
    const answer = await requestJson<{ type: string }>(api.url, 'GET', '/v1/admin/reserves', { token: admin.token });
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBe('5');
    expect(answer.body.type).toBe('https://bitro.dev/problems/gateway-unavailable');
  });
});

describe('POST /v1/admin/reserves/acknowledge', () => {
  it('acknowledges as the signed-in admin and audits it; with nothing open it audits nothing', async () => {
    const acknowledged = await requestJson(api.url, 'POST', '/v1/admin/reserves/acknowledge', { token: admin.token, body: { note: 'Sweep to cold storage' } });
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body).toEqual({ adjustedSats: '10000', acknowledgedChecks: 1 });
    expect(api.gateway.calls.map((call) => call.body)).toEqual([{ adminId: admin.id, note: 'Sweep to cold storage' }]);
    expect(api.audit.actions).toEqual([
      {
        action: 'reserves.acknowledge',
        actorId: admin.id,
        subject: 'reserves:gateway-wallet',
        details: { adjustedSats: '10000', acknowledgedChecks: 1, note: 'Sweep to cold storage' },
      },
    ]);

    const again = await requestJson(api.url, 'POST', '/v1/admin/reserves/acknowledge', { token: admin.token, body: { note: 'Again' } });
    expect(again.body).toEqual({ adjustedSats: '0', acknowledgedChecks: 0 });
    expect(api.audit.actions).toHaveLength(1);
  });

  it('requires a note, and answers 503 when the gateway cannot answer, auditing nothing', async () => {
    expect((await requestJson(api.url, 'POST', '/v1/admin/reserves/acknowledge', { token: admin.token, body: {} })).status).toBe(400);
    api.gateway.mode = 'down';
    expect((await requestJson(api.url, 'POST', '/v1/admin/reserves/acknowledge', { token: admin.token, body: { note: 'x' } })).status).toBe(503);
    expect(api.audit.actions).toEqual([]);
  });
});
