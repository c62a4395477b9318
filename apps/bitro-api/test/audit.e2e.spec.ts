import { randomUUID } from 'node:crypto';
import { PG_POOL } from '@bitro/db';
import { Outbox, pgTransaction } from '@bitro/messaging';
import { redemptionApprovedV1 } from '@bitro/service-api';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCommand } from '../src/cli/run-command';
import { startTestApp, type TestApp } from './test-app';

let api: TestApp;
let pool: Pool;

beforeAll(async () => {
  api = await startTestApp({ OUTBOX_RELAY_INTERVAL_MS: '50', AUDIT_BLOCK_INTERVAL_MS: '200', LOG_LEVEL: 'warn' });
  pool = api.app.get(PG_POOL);
});
afterAll(() => api?.close());

async function until(what: string, condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** `npm run audit:verify` in-process: its exit code and its report. */
async function auditVerify(): Promise<{ code: number; output: string }> {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    const code = await runCommand(api.env, 'audit:verify', []);
    return { code, output: log.mock.calls.map((call) => String(call[0])).join('\n') };
  } finally {
    log.mockRestore();
  }
}

describe('the audit trail in bitro-api', () => {
  it('records a wallet credit through the journal event, seals it, and audit:verify exits 1 naming a record edited in SQL', async () => {
    const userId = randomUUID();
    // The wallet credits an approved redemption as it credits any: a journal, announced as wallet.journal-posted.v1.
    const redemptionId = randomUUID();
    const approval = { redemptionId, userId, brand: 'cultureland', faceValueKrw: '17000', feeKrw: '0', priceKrwPerBtc: '137700000', amountSats: '12345' };
    await pgTransaction(pool, (tx) => api.app.get(Outbox).append(tx, redemptionApprovedV1, approval));
    const journalOf = () => pool.query<{ id: string }>(`SELECT id::text FROM "wallet"."journals" WHERE reference = $1`, [`redemption:${redemptionId}`]);
    await until('the wallet credits the redemption', async () => (await journalOf()).rowCount === 1);
    const entry = { journalId: (await journalOf()).rows[0]?.id };
    const recorded = () => pool.query<{ id: string; seq: string; payload: { amountSats: string } }>(
      `SELECT id::text, seq::text, payload FROM "audit"."records" WHERE source_key = $1`,
      [`ledger.journal:${entry.journalId}`],
    );
    await until('the journal is recorded', async () => (await recorded()).rowCount === 1);
    const [record] = (await recorded()).rows;
    expect(record?.payload).toMatchObject({ journalId: entry.journalId, kind: 'credit', userId, amountSats: '12345' });
    await until('the record is sealed', async () => (await pool.query('SELECT 1 FROM "audit"."blocks" WHERE last_seq >= $1::bigint', [record?.seq])).rowCount === 1);

    expect(await auditVerify()).toMatchObject({ code: 0, output: expect.stringContaining('audit: OK') });

    await pool.query('ALTER TABLE "audit"."records" DISABLE TRIGGER "records_append_only"');
    await pool.query(`UPDATE "audit"."records" SET payload = jsonb_set(payload, '{amountSats}', '"99999999"') WHERE id = $1`, [record?.id]);
    const broken = await auditVerify();
    expect(broken.code).toBe(1);
    expect(broken.output).toContain('audit: BROKEN');
    expect(JSON.parse(broken.output.slice(0, broken.output.lastIndexOf('\naudit:')))).toMatchObject({
      ok: false,
      firstBrokenRecord: { seq: record?.seq, id: record?.id, reason: expect.stringContaining('does not match its content') },
    });
  });
});
