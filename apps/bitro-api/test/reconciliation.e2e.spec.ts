import { randomUUID } from 'node:crypto';
import { PG_POOL } from '@bitro/db';
import { RECONCILIATION_API, type ReconciliationApi, type ReconciliationReport } from '@bitro/service-api';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { reconcileCommand } from '../src/cli/reconcile.command';
import { call, signInAdmin, signUp, startTestApp, type TestApp, until } from './test-app';

/** Sandbox PINs worth 10,000 KRW each (an even digit sum), each used once in this file. */
const pins = ['2000-0000-0000-0002', '2000-0000-0000-0004', '2000-0000-0000-0006', '2000-0000-0000-0008'];
const freshPin = (): string => {
  const pin = pins.shift();
  if (!pin) throw new Error('out of test PINs');
  return pin;
};

const redeem = async (api: TestApp, token: string) => {
  const answer = await call<{ id: string; state: string }>(api.url, 'POST', '/v1/giftcards/redemptions', {
    token,
    body: { brand: 'cultureland', pin: freshPin() },
    headers: { 'idempotency-key': randomUUID() },
  });
  expect(answer.body.state).toBe('verified');
  return answer.body.id;
};

/** Runs the `reconcile` command in the app's context; its exit code and what it printed. */
async function command(api: TestApp, argv: string[]): Promise<{ code: number; output: string }> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
  try {
    return { code: await reconcileCommand.run(api.app, argv), output: lines.join('\n') };
  } finally {
    log.mockRestore();
  }
}

const reasons = (report: ReconciliationReport, category: keyof ReconciliationReport['categories']) =>
  Object.fromEntries(report.categories[category].items.map((item) => [item.id, item.reason]));

describe('reconciliation on a normal flow (every role, the job every 500 ms, redelivery after 1 s)', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({ LOG_LEVEL: 'warn', OUTBOX_RELAY_INTERVAL_MS: '50', RECONCILE_INTERVAL_MS: '500', EVENT_REDELIVERY_AFTER_MS: '1000' });
  });
  afterAll(() => api?.close());

  it('is clean once the redemptions are credited, for the job, the function and the command', async () => {
    const user = await signUp(api);
    const ids = [await redeem(api, user.token), await redeem(api, user.token)];
    for (const id of ids) {
      await until(`redemption ${id} credited`, async () => (await call(api.url, 'GET', `/v1/giftcards/redemptions/${id}`, { token: user.token })).body['state'], (state) => state === 'credited');
    }
    const reconciliation = api.app.get<ReconciliationApi>(RECONCILIATION_API);
    // Once every consumer (wallet, gift cards, audit, notifications) has completed its deliveries, nothing is in flight.
    const report = await until('a clean reconciliation with no grace', () => reconciliation.reconcile({ graceMs: 0 }), (found) => found.ok);
    expect(report.categories.redemptions).toEqual({ count: 0, items: [] });

    const clean = await command(api, ['--grace-seconds', '0', '--all']);
    expect(clean.code).toBe(0);
    expect(clean.output).toMatch(/reconcile: OK$/);
    expect(JSON.parse(clean.output.replace(/\nreconcile: OK$/, ''))).toMatchObject({ ok: true, trigger: 'command', graceSeconds: 0, windowStart: null });

    // The scheduled job keeps the latest report too.
    await until('a report of the scheduled job', () => reconciliation.latest(), (latest) => latest?.trigger === 'schedule');
  });
});

describe('reconciliation finds drift made by hand (an http-only replica: no event is ever delivered)', () => {
  let api: TestApp;
  let pool: Pool;
  let reconciliation: ReconciliationApi;
  let stuck: string;

  beforeAll(async () => {
    api = await startTestApp({ LOG_LEVEL: 'silent', BITRO_ROLES: 'http' });
    pool = api.app.get(PG_POOL);
    reconciliation = api.app.get(RECONCILIATION_API);
    // The "196" case: approved (its event written), never credited because the event never reaches the wallet.
    stuck = await redeem(api, (await signUp(api)).token);
  });
  afterAll(() => api?.close());

  it('names a verified redemption past the grace and not credited; within the grace it is in flight', async () => {
    expect(reasons(await reconciliation.reconcile(), 'redemptions')[stuck]).toBeUndefined();
    expect(reasons(await reconciliation.reconcile({ graceMs: 0 }), 'redemptions')[stuck]).toMatch(
      new RegExp(`^approved \\d+ s ago and still verified: the wallet has no credit journal redemption:${stuck}$`),
    );
  });

  it('names a redemption credit journal that matches no redemption, a withdrawal broadcast with its hold released, a confirmed deposit never credited and a stale publication', async () => {
    const userId = randomUUID();
    // Journals as the ledger writes them (their postings do not matter to the reconciliation).
    const journal = async (kind: string, amountSats: number, reference: string, description: string, holdReference: string | null = null) => {
      const { rows } = await pool.query<{ id: string }>(
        `INSERT INTO "wallet"."journals" (id, reference, kind, user_id, amount_sats, description, hold_reference)
         VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6) RETURNING id::text`,
        [reference, kind, userId, amountSats, description, holdReference],
      );
      return { journalId: rows[0]?.id ?? '', reference };
    };
    const orphan = await journal('credit', 500_000, `redemption:${randomUUID()}`, 'cultureland gift card redemption');

    const withdrawalId = randomUUID();
    await pool.query(
      `INSERT INTO "wallet"."withdrawals" (id, user_id, address, amount_sats, max_fee_sats, fee_sats, status, txid, vout, idempotency_key, request_hash, broadcast_at)
       VALUES ($1, $2, 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080', 100000, 3000, 1200, 'broadcast', $3, 0, 'k', 'h', now())`,
      [withdrawalId, userId, 'ab'.repeat(32)],
    );
    await journal('hold', 103_000, `withdrawal:${withdrawalId}:hold`, 'Withdrawal');
    await journal('release', 103_000, `withdrawal:${withdrawalId}:release`, 'by hand', `withdrawal:${withdrawalId}:hold`);

    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO "wallet"."deposits" (id, user_id, txid, vout, address, amount_sats, status, credits, detected_at, confirmed_at, last_event_at, updated_at)
       VALUES (gen_random_uuid(), $1, $2, 0, 'bcrt1qdeposit', 250000, 'confirmed', 1, now(), now(), now(), now()) RETURNING id::text`,
      [userId, 'cd'.repeat(32)],
    );
    const depositId = rows[0]?.id ?? '';

    const eventId = randomUUID();
    await pool.query(
      `INSERT INTO "messaging"."publications" (event_id, consumer, event_name, created_at, deliveries) VALUES ($1, 'wallet', 'giftcard.redemption-approved.v1', now() - interval '10 minutes', 4)`,
      [eventId],
    );

    const report = await reconciliation.reconcile();
    expect(report.ok).toBe(false);
    expect(reasons(report, 'redemptionCredits')).toEqual({ [orphan.journalId]: `${orphan.reference}: no such redemption` });
    expect(reasons(report, 'withdrawals')).toEqual({ [withdrawalId]: 'broadcast but its hold is released (should stay open)' });
    expect(reasons(report, 'deposits')).toEqual({ [depositId]: `confirmed but its credit journal deposit:${'cd'.repeat(32)}:0:1 is missing` });
    expect(reasons(report, 'publications')[eventId]).toMatch(/^giftcard\.redemption-approved\.v1 for wallet: not completed after 4 deliveries/);

    // The command exits 1 naming every id; the route shows the latest report, and runs one on demand.
    const drift = await command(api, ['--grace-seconds', '0']);
    expect(drift.code).toBe(1);
    for (const id of [stuck, orphan.journalId, withdrawalId, depositId, eventId]) expect(drift.output).toContain(id);
    expect(drift.output).toMatch(new RegExp(`reconcile: redemptions: 1 — ${stuck}\n[\\s\\S]*reconcile: DRIFT$`));

    const admin = await signInAdmin(api);
    const latest = await call<{ report: ReconciliationReport }>(api.url, 'GET', '/v1/admin/reconciliation', { token: admin.token });
    expect(latest.status).toBe(200);
    expect(latest.body.report).toMatchObject({ trigger: 'command', graceSeconds: 0, categories: { redemptions: { count: 1, items: [{ id: stuck }] } } });
    const now = await call<{ report: ReconciliationReport }>(api.url, 'GET', '/v1/admin/reconciliation?run=true', { token: admin.token });
    expect(now.body.report).toMatchObject({ trigger: 'admin', graceSeconds: 300, categories: { redemptions: { count: 0 }, withdrawals: { count: 1 } } });
  });

  it('refuses a grace that is not a whole number', async () => {
    await expect(command(api, ['--grace-seconds', 'soon'])).rejects.toMatchObject({ code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' });
  });
});
