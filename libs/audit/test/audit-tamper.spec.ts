import { AUDIT_API, AUDIT_OPS_API, type AuditApi, type AuditOpsApi } from '@bitro/service-api';
import type { ModuleTest } from '@bitro/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlockSeal } from '../src/features/blocks/block-seal';
import { adminAction, startAuditModule } from './audit-module-test';

let mod: ModuleTest;
let ops: AuditOpsApi;

beforeEach(async () => {
  mod = await startAuditModule({ env: { AUDIT_BLOCK_MAX_RECORDS: '4', AUDIT_BLOCK_INTERVAL_MS: '1' } });
  ops = mod.get<AuditOpsApi>(AUDIT_OPS_API);
  const audit = mod.get<AuditApi>(AUDIT_API);
  for (let i = 0; i < 10; i += 1) await audit.record(undefined, adminAction({ i: String(i) }));
  await mod.get(BlockSeal).run();
});

afterEach(async () => {
  await mod?.close();
});

const idOf = async (seq: number) => (await mod.pool.query<{ id: string }>('SELECT id::text FROM "audit"."records" WHERE seq = $1', [seq])).rows[0]?.id as string;

/** What an attacker with database access does: switch the guard off, change the rows, switch it on again. */
async function tamper(sql: string, params: unknown[] = []): Promise<void> {
  await mod.pool.query('ALTER TABLE "audit"."records" DISABLE TRIGGER "records_append_only"');
  await mod.pool.query(sql, params);
  await mod.pool.query('ALTER TABLE "audit"."records" ENABLE TRIGGER "records_append_only"');
}

describe('verification of a tampered trail', () => {
  it('names a record whose payload was edited in SQL (its block root still covers the untouched stored hashes)', async () => {
    const id = await idOf(6);
    await tamper(`UPDATE "audit"."records" SET payload = jsonb_set(payload, '{details,i}', '"999"') WHERE id = $1`, [id]);
    const report = await ops.verify();
    expect(report).toMatchObject({ ok: false, records: 10, blocks: 3, firstBrokenRecord: { seq: 6n, id, reason: expect.stringMatching(/does not match its content/) } });
    // The block root covers the stored hashes, which were left alone: the root still matches them.
    expect(report.firstBrokenBlock).toBeNull();
  });

  it('names a record whose payload and stored hash were both rewritten, and the block whose root no longer matches', async () => {
    const id = await idOf(3);
    await tamper(`UPDATE "audit"."records" SET payload = '{"forged":true}', hash = repeat('a', 64) WHERE id = $1`, [id]);
    const report = await ops.verify();
    expect(report.firstBrokenRecord).toMatchObject({ seq: 3n, id });
    expect(report.firstBrokenBlock).toMatchObject({ height: 0n, reason: expect.stringMatching(/merkle_root .* does not match/) });
  });

  it('names a deleted record by its seq', async () => {
    const next = await idOf(5);
    await tamper('DELETE FROM "audit"."records" WHERE seq = 4');
    const report = await ops.verify();
    expect(report).toMatchObject({
      ok: false,
      records: 9,
      firstBrokenRecord: { seq: 4n, id: next, reason: 'record 4 is missing (the next one is 5)' },
      firstBrokenBlock: { height: 0n, reason: 'covers records 1..4 but 3 of them exist' },
    });
  });

  it('notices the last records deleted, through the chain head', async () => {
    await tamper('DELETE FROM "audit"."records" WHERE seq >= 9');
    const report = await ops.verify();
    expect(report.firstBrokenRecord).toMatchObject({ seq: 9n, id: null, reason: 'record 9 is missing (the chain head is at record 10)' });
  });

  it('answers the same over HTTP', async () => {
    const id = await idOf(2);
    await tamper(`UPDATE "audit"."records" SET occurred_at = occurred_at - interval '1 day' WHERE id = $1`, [id]);
    const response = await mod.request('GET', '/v1/admin/audit/verify', { token: mod.token({ role: 'admin' }) });
    expect(response.body).toMatchObject({ ok: false, records: 10, blocks: 3, firstBrokenRecord: { seq: '2', id } });
  });
});
