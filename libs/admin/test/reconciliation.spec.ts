import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import {
  AUDIT_API,
  GIFTCARD_RECONCILIATION_API,
  RECONCILIATION_API,
  type ReconciliationApi,
  type ReconciliationReport,
  WALLET_RECONCILIATION_API,
} from '@bitro/service-api';
import { expectProblem, type ModuleTest, RecordingAudit, startModuleTest } from '@bitro/testing';
import type { Pool } from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AdminModule } from '../src/index';
import { ReconciliationReports } from '../src/features/reconciliation/reconciliation-reports';
import { StandInGiftcard, StandInWallet } from './reconciliation-stand-ins';

let giftcard: StandInGiftcard;
let wallet: StandInWallet;
let mod: ModuleTest;
let reconciliation: ReconciliationApi;
let pool: Pool;

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);
const reasons = (report: ReconciliationReport, category: keyof ReconciliationReport['categories']) =>
  Object.fromEntries(report.categories[category].items.map((item) => [item.id, item.reason]));
const adminToken = () => mod.token({ role: 'admin' });

/** Asserts a problem+json answer of this status and code. */

beforeAll(async () => {
  giftcard = new StandInGiftcard();
  wallet = new StandInWallet();
  mod = await startModuleTest({
    module: AdminModule,
    stubs: [
      { provide: AUDIT_API, useValue: new RecordingAudit() },
      { provide: GIFTCARD_RECONCILIATION_API, useValue: giftcard },
      { provide: WALLET_RECONCILIATION_API, useValue: wallet },
    ],
    http: true,
  });
  reconciliation = mod.get(RECONCILIATION_API);
  pool = mod.pool;
});

afterAll(() => mod?.close());

beforeEach(() => {
  giftcard.redemptions.length = 0;
  wallet.credits.length = 0;
  wallet.deposits = { count: 0, items: [] };
  wallet.withdrawals = { count: 0, items: [] };
});

describe('GET /v1/admin/reconciliation', () => {
  it('answers null before the first run, then the latest report; ?run=true runs one now', async () => {
    const before = await mod.request<{ report: ReconciliationReport | null }>('GET', '/v1/admin/reconciliation', { token: adminToken() });
    expect(before.status).toBe(200);
    expect(before.body).toEqual({ report: null });

    const stuck = giftcard.add({ state: 'verified', changedAt: minutesAgo(10) });
    const run = await mod.request<{ report: ReconciliationReport }>('GET', '/v1/admin/reconciliation?run=true', { token: adminToken() });
    expect(run.status).toBe(200);
    expect(run.body.report).toMatchObject({ ok: false, trigger: 'admin', graceSeconds: 300, categories: { redemptions: { count: 1, items: [{ id: stuck.id }] } } });

    const latest = await mod.request<{ report: ReconciliationReport }>('GET', '/v1/admin/reconciliation', { token: adminToken() });
    expect(latest.body.report).toEqual(run.body.report);
  });

  it('refuses a bad run flag naming it, and is for admins only', async () => {
    expectProblem(await mod.request('GET', '/v1/admin/reconciliation?run=yes', { token: adminToken() }), 400, 'validation');
    const invalid = await mod.request<{ errors: Array<{ in: string; pointer: string }> }>('GET', '/v1/admin/reconciliation?run=yes', { token: adminToken() });
    expect(invalid.body.errors).toEqual([expect.objectContaining({ in: 'query', pointer: '/run' })]);
    expect((await mod.request('GET', '/v1/admin/reconciliation')).status).toBe(401);
    expect((await mod.request('GET', '/v1/admin/reconciliation?run=true', { token: mod.token({ role: 'user' }) })).status).toBe(403);
  });
});

describe('reconcile', () => {
  it('names uncredited approved redemptions past the grace, saying whether the wallet credited them', async () => {
    const uncredited = giftcard.add({ state: 'verified', changedAt: minutesAgo(10) });
    const unlearned = giftcard.add({ state: 'verified', changedAt: minutesAgo(8) });
    const credit = wallet.credit(unlearned);
    const inFlight = giftcard.add({ state: 'verified', changedAt: minutesAgo(1) });

    const report = await reconciliation.reconcile();
    const found = reasons(report, 'redemptions');
    expect(found[uncredited.id]).toMatch(/^approved 600 s ago and still verified: the wallet has no credit journal redemption:/);
    expect(found[unlearned.id]).toMatch(new RegExp(`the wallet credited it \\(journal ${credit.journalId}\\) but the gift-card domain never learned`));
    expect(found[inFlight.id]).toBeUndefined();
    expect(report.categories.redemptions.count).toBe(2);
    // The credit of a verified redemption is no drift of the credits: it matches an approved redemption.
    expect(report.categories.redemptionCredits.count).toBe(0);

    // With no grace, the one approved a minute ago is named too.
    expect(reasons(await reconciliation.reconcile({ graceMs: 0 }), 'redemptions')[inFlight.id]).toBeDefined();
  });

  it('checks every credited redemption in the window against its one journal, page after page', async () => {
    // More than two pages (500) of redemptions credited as they should be.
    for (let n = 0; n < 1_234; n++) {
      const redemption = giftcard.add({ state: 'credited', changedAt: minutesAgo(30) });
      redemption.walletJournalId = wallet.credit(redemption).journalId;
    }
    const missing = giftcard.add({ state: 'credited', changedAt: minutesAgo(20), walletJournalId: randomUUID() });
    const other = giftcard.add({ state: 'credited', changedAt: minutesAgo(20), walletJournalId: randomUUID() });
    const otherJournal = wallet.credit(other);
    const old = giftcard.add({ state: 'credited', changedAt: minutesAgo(3 * 24 * 60), walletJournalId: randomUUID() });

    const report = await reconciliation.reconcile();
    expect(reasons(report, 'redemptions')).toEqual({
      [missing.id]: `credited, but the wallet has no credit journal redemption:${missing.id}`,
      [other.id]: `credited by journal ${other.walletJournalId}, but the wallet's credit is journal ${otherJournal.journalId}`,
    });
    // Outside the 24-hour window only with the whole history.
    expect(reasons(await reconciliation.reconcile({ windowMs: null }), 'redemptions')[old.id]).toBeDefined();
  });

  it('names credit journals without an approved redemption of that user and amount, by journal id', async () => {
    const orphan = wallet.credit({ id: randomUUID(), userId: randomUUID() });
    const rejected = giftcard.add({ state: 'rejected', changedAt: minutesAgo(10) });
    const ofRejected = wallet.credit(rejected);
    const quoted = giftcard.add({ state: 'verified', changedAt: minutesAgo(1) });
    const overpaid = wallet.credit({ ...quoted, amountSats: 9_999n });
    const stranger = giftcard.add({ state: 'verified', changedAt: minutesAgo(1) });
    const ofStranger = wallet.credit({ id: stranger.id, userId: randomUUID() });
    const garbage = wallet.credit({ id: 'not-a-uuid', userId: randomUUID() });

    const found = reasons(await reconciliation.reconcile(), 'redemptionCredits');
    expect(found).toEqual({
      [orphan.journalId]: `redemption:${orphan.redemptionId}: no such redemption`,
      [ofRejected.journalId]: `redemption:${rejected.id}: the redemption is rejected, not approved`,
      [overpaid.journalId]: `redemption:${quoted.id}: credited 9999 sats, the redemption was quoted 6571`,
      [ofStranger.journalId]: `redemption:${stranger.id}: credited to user ${ofStranger.userId}, redeemed by ${stranger.userId}`,
      [garbage.journalId]: 'redemption:not-a-uuid: no such redemption',
    });
  });

  it("passes on the wallet's deposit and withdrawal findings for the window, and lists publications incomplete after the grace", async () => {
    wallet.deposits = { count: 1, items: [{ id: randomUUID(), reason: 'confirmed but its credit journal is missing' }] };
    wallet.withdrawals = { count: 2, items: [{ id: randomUUID(), reason: 'broadcast but its hold is released (should stay open)' }] };
    const stale = randomUUID();
    const dead = randomUUID();
    const fresh = randomUUID();
    await pool.query(
      `INSERT INTO "messaging"."publications" (event_id, consumer, event_name, created_at, deliveries, completed_at, failed_at) VALUES
         ($1, 'wallet', 'giftcard.redemption-approved.v1', now() - interval '10 minutes', 3, NULL, NULL),
         ($2, 'audit', 'wallet.journal-posted.v1', now() - interval '10 minutes', 8, NULL, now()),
         ($3, 'wallet', 'giftcard.redemption-approved.v1', now(), 1, NULL, NULL),
         ($4, 'wallet', 'giftcard.redemption-approved.v1', now() - interval '10 minutes', 1, now(), NULL)`,
      [stale, dead, fresh, randomUUID()],
    );
    wallet.windows.length = 0;

    const report = await reconciliation.reconcile();
    expect(report.categories.deposits).toEqual(wallet.deposits);
    expect(report.categories.withdrawals).toEqual(wallet.withdrawals);
    expect(wallet.windows).toEqual([new Date(report.windowStart ?? 0), new Date(report.windowStart ?? 0)]);
    expect(Date.parse(report.startedAt) - Date.parse(report.windowStart ?? '')).toBe(24 * 3_600_000);
    expect(reasons(report, 'publications')).toEqual({
      [stale]: expect.stringMatching(/^giftcard\.redemption-approved\.v1 for wallet: not completed after 3 deliveries, 6\d\d s$/),
      [dead]: expect.stringMatching(/^wallet\.journal-posted\.v1 for audit: dead-lettered after 8 deliveries/),
    });
    await pool.query('DELETE FROM "messaging"."publications"');
  });

  it('is OK on a consistent state, logs drift at error level, and keeps only the report of the latest start', async () => {
    const errors = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const credited = giftcard.add({ state: 'credited', changedAt: minutesAgo(30) });
    credited.walletJournalId = wallet.credit(credited).journalId;
    giftcard.add({ state: 'verified', changedAt: minutesAgo(1) });
    const clean = await reconciliation.reconcile({ trigger: 'schedule' });
    expect(clean).toMatchObject({ ok: true, trigger: 'schedule' });
    expect(errors).not.toHaveBeenCalled();

    const stuck = giftcard.add({ state: 'verified', changedAt: minutesAgo(10) });
    const drift = await reconciliation.reconcile();
    expect(drift.ok).toBe(false);
    expect(errors).toHaveBeenCalledWith(expect.stringContaining(`redemptions: 1 (${stuck.id}: approved`));
    errors.mockRestore();

    // A run that started before the stored one finishes later: the stored report stays.
    await mod.get(ReconciliationReports).save({ ...clean, startedAt: new Date(Date.parse(drift.startedAt) - 1_000).toISOString() });
    expect(await reconciliation.latest()).toEqual(drift);
  });
});
