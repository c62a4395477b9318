import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startWalletTest, type WalletTest } from './wallet-test';

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

let wallet: WalletTest;
let admin: { userId: string; token: string };

beforeAll(async () => {
  wallet = await startWalletTest({ http: true });
  admin = wallet.signIn('admin');
});

afterAll(async () => {
  await wallet?.close();
});

beforeEach(() => {
  wallet.gateway.mode = 'up';
  wallet.gateway.calls.length = 0;
  wallet.gateway.reserves = { report: { toleranceSats: '1000', paused: { since: checkedAt, checkId: mismatch.id, differenceSats: '10000' }, checks: [mismatch] }, openMismatches: 1 };
  wallet.audit.reset();
});

describe('GET /v1/admin/reserves', () => {
  it("answers the gateway's report, asking for 20 checks unless told otherwise", async () => {
    const report = await wallet.mod.request('GET', '/v1/admin/reserves', { token: admin.token });
    expect(report.status).toBe(200);
    expect(report.body).toEqual(wallet.gateway.reserves.report);
    expect((await wallet.mod.request('GET', '/v1/admin/reserves?limit=3', { token: admin.token })).status).toBe(200);
    expect(wallet.gateway.calls.map((call) => call.body)).toEqual([{ limit: 20 }, { limit: 3 }]);
  });

  it('is for admins only, and refuses a limit out of range without asking the gateway', async () => {
    expect((await wallet.mod.request('GET', '/v1/admin/reserves')).status).toBe(401);
    expect((await wallet.mod.request('GET', '/v1/admin/reserves', { token: wallet.signIn('user').token })).status).toBe(403);
    expect((await wallet.mod.request('GET', '/v1/admin/reserves?limit=501', { token: admin.token })).status).toBe(400);
    expect(wallet.gateway.calls).toEqual([]);
  });

  it('answers 503 gateway-unavailable with Retry-After when the gateway cannot answer', async () => {
    wallet.gateway.mode = 'down';
    const answer = await wallet.mod.request<{ type: string }>('GET', '/v1/admin/reserves', { token: admin.token });
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBe('5');
    expect(answer.body.type).toBe('https://bitro.dev/problems/gateway-unavailable');
  });
});

describe('POST /v1/admin/reserves/acknowledge', () => {
  it('acknowledges as the signed-in admin and audits it; with nothing open it audits nothing', async () => {
    const acknowledged = await wallet.mod.request('POST', '/v1/admin/reserves/acknowledge', { token: admin.token, body: { note: 'Sweep to cold storage' } });
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body).toEqual({ adjustedSats: '10000', acknowledgedChecks: 1 });
    expect(wallet.gateway.calls.map((call) => call.body)).toEqual([{ adminId: admin.userId, note: 'Sweep to cold storage' }]);
    expect(wallet.audit.actions).toEqual([
      {
        action: 'reserves.acknowledge',
        actorId: admin.userId,
        subject: 'reserves:gateway-wallet',
        details: { adjustedSats: '10000', acknowledgedChecks: 1, note: 'Sweep to cold storage' },
      },
    ]);

    const again = await wallet.mod.request('POST', '/v1/admin/reserves/acknowledge', { token: admin.token, body: { note: 'Again' } });
    expect(again.body).toEqual({ adjustedSats: '0', acknowledgedChecks: 0 });
    expect(wallet.audit.actions).toHaveLength(1);
  });

  it('requires a note, and answers 503 when the gateway cannot answer, auditing nothing', async () => {
    expect((await wallet.mod.request('POST', '/v1/admin/reserves/acknowledge', { token: admin.token, body: {} })).status).toBe(400);
    wallet.gateway.mode = 'down';
    expect((await wallet.mod.request('POST', '/v1/admin/reserves/acknowledge', { token: admin.token, body: { note: 'x' } })).status).toBe(503);
    expect(wallet.audit.actions).toEqual([]);
  });
});
