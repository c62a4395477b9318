import { WALLET_OPS_API, type WalletOpsApi } from '@bitro/service-api';
import { Client } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { call, signUp, startTestApp, type TestApp } from './test-app';

const started: TestApp[] = [];
afterAll(async () => {
  // Replicas sharing the first one's database close first; the first one drops it.
  for (const app of started.reverse()) await app.close();
});

async function outboxState(url: string): Promise<{ unpublished: number; inbox: number }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT (SELECT count(*)::int FROM messaging.outbox WHERE published_at IS NULL AND name NOT LIKE 'user.%') AS unpublished,
              (SELECT count(*)::int FROM messaging.inbox WHERE consumer IN ('wallet', 'giftcard')) AS inbox`,
    );
    return rows[0];
  } finally {
    await client.end();
  }
}

describe('a redemption whose event is written but not yet published', () => {
  it('is credited exactly once by workers that start later, even two at once', async () => {
    const fast = { OUTBOX_RELAY_INTERVAL_MS: '50', ISSUER: 'sandbox', PRICE_FEED: 'fixed' };
    // An http-only replica: it writes the outbox in the redemption's transaction, but relays nothing.
    const httpOnly = await startTestApp({ ...fast, BITRO_ROLES: 'http' });
    started.push(httpOnly);
    const { token } = await signUp(httpOnly, 'late@example.com');
    const redemption = await call(httpOnly.url, 'POST', '/v1/giftcards/redemptions', {
      token,
      body: { brand: 'happymoney', pin: '5000-0000-0000-0000' },
      headers: { 'idempotency-key': 'late-1' },
    });
    expect(redemption.status).toBe(202);
    expect(redemption.body['state']).toBe('verified');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await outboxState(httpOnly.database.url)).toEqual({ unpublished: 1, inbox: 0 });
    expect((await call(httpOnly.url, 'GET', '/v1/wallet/balance', { token })).body['availableSats']).toBe('0');

    // Two worker replicas come up at once and race for the outbox row.
    const workers = await Promise.all([
      startTestApp({ ...fast, BITRO_ROLES: 'worker,scheduler' }, httpOnly),
      startTestApp({ ...fast, BITRO_ROLES: 'worker,scheduler' }, httpOnly),
    ]);
    started.push(...workers);

    const deadline = Date.now() + 15_000;
    let state = '';
    while (state !== 'credited' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      state = String((await call(httpOnly.url, 'GET', `/v1/giftcards/redemptions/${String(redemption.body['id'])}`, { token })).body['state']);
    }
    expect(state).toBe('credited');
    // 50,000 KRW − 9 % = 45,500 KRW at 140,000,000 KRW/BTC.
    expect((await call(httpOnly.url, 'GET', '/v1/wallet/balance', { token })).body['availableSats']).toBe('32500');
    const report = await workers[0].app.get<WalletOpsApi>(WALLET_OPS_API).verifyLedger();
    expect(report).toMatchObject({ ok: true, journals: 1 });
    // approved (wallet) + credited (giftcard): two deliveries, each handled once.
    expect(await outboxState(httpOnly.database.url)).toEqual({ unpublished: 0, inbox: 2 });
  });
});
