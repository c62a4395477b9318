import { pgTransaction } from '@bitro/messaging';
import { AUDIT_API, AUDIT_OPS_API, type AuditApi, type AuditOpsApi, auditBlockSealedV1 } from '@bitro/service-api';
import type { ModuleTest } from '@bitro/testing';
import type { PoolClient } from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type InclusionProof, verifyInclusionProof } from '../src';
import { BlockSeal } from '../src/features/blocks/block-seal';
import { adminAction, startAuditModule } from './audit-module-test';

let mod: ModuleTest;
let audit: AuditApi;
let ops: AuditOpsApi;

beforeAll(async () => {
  // Every record is due for sealing at once; blocks of at most 4.
  mod = await startAuditModule({ env: { AUDIT_BLOCK_MAX_RECORDS: '4', AUDIT_BLOCK_INTERVAL_MS: '1' } });
  audit = mod.get<AuditApi>(AUDIT_API);
  ops = mod.get<AuditOpsApi>(AUDIT_OPS_API);
});

afterAll(async () => {
  await mod?.close();
});

const recordCount = async () => Number((await mod.pool.query('SELECT count(*)::int AS n FROM "audit"."records"')).rows[0].n);
const adminToken = () => mod.token({ role: 'admin' });

describe('appending', () => {
  it('records an admin action in the caller’s transaction: a rollback takes it back', async () => {
    const before = await recordCount();
    await expect(
      pgTransaction(mod.pool, async (tx) => {
        await audit.record(tx, adminAction());
        throw new Error('the admin action failed');
      }),
    ).rejects.toThrow('the admin action failed');
    expect(await recordCount()).toBe(before);

    const committed = await pgTransaction(mod.pool, (tx) => audit.record(tx, adminAction({ reason: 'fraud', amountSats: 5n })));
    const { rows } = await mod.pool.query('SELECT seq::text, type, payload FROM "audit"."records" WHERE id = $1', [committed.id]);
    expect(rows[0]).toMatchObject({ seq: String(before + 1), type: 'admin.action', payload: { details: { reason: 'fraud', amountSats: '5' } } });
    expect(committed.seq).toBe(BigInt(before + 1));
  });

  it('records an action once per idempotency key, and refuses invalid input', async () => {
    const action = { ...adminAction(), idempotencyKey: 'suspend-42' };
    const first = await audit.record(undefined, action);
    expect(await audit.record(undefined, action)).toEqual(first);
    await expect(audit.record(undefined, { ...adminAction(), action: 'Suspend User' })).rejects.toThrow();
    await expect(audit.record(undefined, { ...adminAction(), actorId: 'nobody' })).rejects.toThrow();
  });

  it('keeps the chain gapless and unforked under concurrent appends', async () => {
    const before = await recordCount();
    await Promise.all(Array.from({ length: 40 }, () => audit.record(undefined, adminAction())));
    const { rows } = await mod.pool.query<{ seq: string; prev: string; hash: string }>(
      'SELECT seq::text, prev_hash AS prev, hash FROM "audit"."records" r ORDER BY r.seq',
    );
    expect(rows).toHaveLength(before + 40);
    rows.forEach((row, i) => {
      expect(row.seq).toBe(String(i + 1));
      if (i > 0) expect(row.prev).toBe(rows[i - 1]?.hash);
    });
    expect((await ops.verify()).ok).toBe(true);
  });

  it('chains the appends of one transaction on the head it read once, a repeated one included, beside concurrent appends', async () => {
    const before = await recordCount();
    const repeated = { ...adminAction(), idempotencyKey: 'batch-repeat' };
    // The batch's transaction takes the pool's next connection: its statements are counted by name.
    const statements: string[] = [];
    const connect = mod.pool.connect.bind(mod.pool) as () => Promise<PoolClient>;
    const connected = vi.spyOn(mod.pool, 'connect').mockImplementationOnce((async () => {
      const client = await connect();
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      vi.spyOn(client, 'query').mockImplementation(((config: unknown, ...rest: unknown[]) => {
        statements.push((config as { name?: string }).name ?? String(config));
        return query(config, ...rest);
      }) as never);
      return client;
    }) as never);
    const [batch] = await Promise.all([
      pgTransaction(mod.pool, async (tx) => {
        const first = await audit.record(tx, adminAction());
        const again = await audit.record(tx, repeated);
        const same = await audit.record(tx, repeated);
        const last = await audit.record(tx, adminAction());
        return { first, again, same, last };
      }),
      ...Array.from({ length: 10 }, () => audit.record(undefined, adminAction())),
    ]);
    connected.mockRestore();
    vi.restoreAllMocks();
    expect(statements.filter((name) => name === 'audit.chain-head-lock')).toHaveLength(1);
    expect(batch.same).toEqual(batch.again);
    expect([batch.again.seq, batch.last.seq]).toEqual([batch.first.seq + 1n, batch.first.seq + 2n]);
    const { rows } = await mod.pool.query<{ seq: string; prev: string; hash: string }>('SELECT seq::text, prev_hash AS prev, hash FROM "audit"."records" r ORDER BY r.seq');
    expect(rows).toHaveLength(before + 13);
    rows.forEach((row, i) => {
      expect(row.seq).toBe(String(i + 1));
      if (i > 0) expect(row.prev).toBe(rows[i - 1]?.hash);
    });
    expect((await ops.verify()).ok).toBe(true);
  });

  it('refuses UPDATE and DELETE of a record, even from SQL', async () => {
    await expect(mod.pool.query(`UPDATE "audit"."records" SET type = 'x' WHERE seq = 1`)).rejects.toThrow(/append-only/);
    await expect(mod.pool.query(`DELETE FROM "audit"."records" WHERE seq = 1`)).rejects.toThrow(/append-only/);
    await expect(mod.pool.query(`TRUNCATE "audit"."records" CASCADE`)).rejects.toThrow(/append-only/);
  });
});

describe('blocks and proofs', () => {
  it('seals full blocks of AUDIT_BLOCK_MAX_RECORDS and a due partial one, each announced', async () => {
    const total = await recordCount();
    const seal = mod.get(BlockSeal);
    const blocks = await seal.run();
    expect(blocks.map((block) => [block.firstSeq, block.lastSeq])).toEqual(
      Array.from({ length: Math.ceil(total / 4) }, (_, i) => [String(i * 4 + 1), String(Math.min(i * 4 + 4, total))]),
    );
    expect(await seal.run()).toEqual([]);
    expect(await mod.events(auditBlockSealedV1)).toHaveLength(blocks.length);
    const report = await ops.verify();
    expect(report).toEqual({ ok: true, records: total, blocks: blocks.length, firstBrokenRecord: null, firstBrokenBlock: null });
  });

  it('serves a proof that verifies offline, and answers 409 for an unsealed record and 404 for an unknown one', async () => {
    const { rows } = await mod.pool.query<{ id: string }>('SELECT id::text FROM "audit"."records" WHERE seq = 6');
    const id = rows[0]?.id as string;
    const response = await mod.request<InclusionProof & { record: { payload: Record<string, unknown> } }>('GET', `/v1/admin/audit/records/${id}/proof`, { token: adminToken() });
    expect(response.status).toBe(200);
    const proof = response.body;
    expect(proof).toMatchObject({ record: { id, seq: '6' }, block: { height: '1', firstSeq: '5', lastSeq: '8', anchors: [] } });
    expect(proof.path).toHaveLength(2);
    expect(verifyInclusionProof(proof)).toEqual({ ok: true });
    expect(verifyInclusionProof({ ...proof, record: { ...proof.record, payload: { ...proof.record.payload, subject: 'user:someone-else' } } }).ok).toBe(false);

    const unsealed = await audit.record(undefined, adminAction());
    const pending = await mod.request('GET', `/v1/admin/audit/records/${unsealed.id}/proof`, { token: adminToken() });
    expect(pending.status).toBe(409);
    expect(pending.body).toMatchObject({ type: 'https://bitro.dev/problems/audit-record-unsealed' });
    const unknown = await mod.request('GET', '/v1/admin/audit/records/00000000-0000-4000-8000-000000000000/proof', { token: adminToken() });
    expect(unknown.status).toBe(404);
  });

  it('lets only admins verify or fetch proofs', async () => {
    const asUser = await mod.request('GET', '/v1/admin/audit/verify', { token: mod.token({ role: 'user' }) });
    expect(asUser.status).toBe(403);
    const anonymous = await mod.request('GET', '/v1/admin/audit/verify');
    expect(anonymous.status).toBe(401);
    const asAdmin = await mod.request('GET', '/v1/admin/audit/verify', { token: adminToken() });
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.body).toMatchObject({ ok: true, firstBrokenRecord: null });
  });
});
