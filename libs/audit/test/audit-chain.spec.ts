import { pgTransaction } from '@bitro/messaging';
import { auditBlockSealedV1 } from '@bitro/service-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InclusionProof, verifyInclusionProof } from '../src';
import { adminAction, type AuditTestApp, startAuditApp } from './audit-test-context';

let context: AuditTestApp;

beforeAll(async () => {
  // Every record is due for sealing at once; blocks of at most 4.
  context = await startAuditApp({ env: { AUDIT_BLOCK_MAX_RECORDS: '4', AUDIT_BLOCK_INTERVAL_MS: '1' } });
});

afterAll(async () => {
  await context?.close();
});

const recordCount = async () => Number((await context.pool.query('SELECT count(*)::int AS n FROM "audit"."records"')).rows[0].n);

describe('appending', () => {
  it('records an admin action in the caller’s transaction: a rollback takes it back', async () => {
    const before = await recordCount();
    await expect(
      pgTransaction(context.pool, async (tx) => {
        await context.audit.record(tx, adminAction());
        throw new Error('the admin action failed');
      }),
    ).rejects.toThrow('the admin action failed');
    expect(await recordCount()).toBe(before);

    const committed = await pgTransaction(context.pool, (tx) => context.audit.record(tx, adminAction({ reason: 'fraud', amountSats: 5n })));
    const { rows } = await context.pool.query('SELECT seq::text, type, payload FROM "audit"."records" WHERE id = $1', [committed.id]);
    expect(rows[0]).toMatchObject({ seq: String(before + 1), type: 'admin.action', payload: { details: { reason: 'fraud', amountSats: '5' } } });
    expect(committed.seq).toBe(BigInt(before + 1));
  });

  it('records an action once per idempotency key, and refuses invalid input', async () => {
    const action = { ...adminAction(), idempotencyKey: 'suspend-42' };
    const first = await context.audit.record(undefined, action);
    expect(await context.audit.record(undefined, action)).toEqual(first);
    await expect(context.audit.record(undefined, { ...adminAction(), action: 'Suspend User' })).rejects.toThrow();
    await expect(context.audit.record(undefined, { ...adminAction(), actorId: 'nobody' })).rejects.toThrow();
  });

  it('keeps the chain gapless and unforked under concurrent appends', async () => {
    const before = await recordCount();
    await Promise.all(Array.from({ length: 40 }, () => context.audit.record(undefined, adminAction())));
    const { rows } = await context.pool.query<{ seq: string; prev: string; hash: string }>(
      'SELECT seq::text, prev_hash AS prev, hash FROM "audit"."records" r ORDER BY r.seq',
    );
    expect(rows).toHaveLength(before + 40);
    rows.forEach((row, i) => {
      expect(row.seq).toBe(String(i + 1));
      if (i > 0) expect(row.prev).toBe(rows[i - 1]?.hash);
    });
    expect((await context.ops.verify()).ok).toBe(true);
  });

  it('refuses UPDATE and DELETE of a record, even from SQL', async () => {
    await expect(context.pool.query(`UPDATE "audit"."records" SET type = 'x' WHERE seq = 1`)).rejects.toThrow(/append-only/);
    await expect(context.pool.query(`DELETE FROM "audit"."records" WHERE seq = 1`)).rejects.toThrow(/append-only/);
    await expect(context.pool.query(`TRUNCATE "audit"."records" CASCADE`)).rejects.toThrow(/append-only/);
  });
});

describe('blocks and proofs', () => {
  it('seals full blocks of AUDIT_BLOCK_MAX_RECORDS and a due partial one, each announced', async () => {
    const total = await recordCount();
    const blocks = await context.seal.run();
    expect(blocks.map((block) => [block.firstSeq, block.lastSeq])).toEqual(
      Array.from({ length: Math.ceil(total / 4) }, (_, i) => [String(i * 4 + 1), String(Math.min(i * 4 + 4, total))]),
    );
    expect(await context.seal.run()).toEqual([]);
    const { rows } = await context.pool.query(`SELECT payload FROM "messaging"."outbox" WHERE name = $1 ORDER BY payload->>'height'`, [auditBlockSealedV1.name]);
    expect(rows.map((row) => row.payload)).toHaveLength(blocks.length);
    const report = await context.ops.verify();
    expect(report).toEqual({ ok: true, records: total, blocks: blocks.length, firstBrokenRecord: null, firstBrokenBlock: null });
  });

  it('serves a proof that verifies offline, and answers 409 for an unsealed record and 404 for an unknown one', async () => {
    const { rows } = await context.pool.query<{ id: string }>('SELECT id::text FROM "audit"."records" WHERE seq = 6');
    const id = rows[0]?.id as string;
    const response = await fetch(`${context.url}/v1/admin/audit/records/${id}/proof`, { headers: { authorization: `Bearer ${context.token('admin')}` } });
    expect(response.status).toBe(200);
    const proof = (await response.json()) as InclusionProof & { record: { payload: Record<string, unknown> } };
    expect(proof).toMatchObject({ record: { id, seq: '6' }, block: { height: '1', firstSeq: '5', lastSeq: '8', anchors: [] } });
    expect(proof.path).toHaveLength(2);
    expect(verifyInclusionProof(proof)).toEqual({ ok: true });
    expect(verifyInclusionProof({ ...proof, record: { ...proof.record, payload: { ...proof.record.payload, subject: 'user:someone-else' } } }).ok).toBe(false);

    const unsealed = await context.audit.record(undefined, adminAction());
    const pending = await fetch(`${context.url}/v1/admin/audit/records/${unsealed.id}/proof`, { headers: { authorization: `Bearer ${context.token('admin')}` } });
    expect(pending.status).toBe(409);
    expect(await pending.json()).toMatchObject({ type: 'https://bitro.dev/problems/audit-record-unsealed' });
    const unknown = await fetch(`${context.url}/v1/admin/audit/records/00000000-0000-4000-8000-000000000000/proof`, {
      headers: { authorization: `Bearer ${context.token('admin')}` },
    });
    expect(unknown.status).toBe(404);
  });

  it('lets only admins verify or fetch proofs', async () => {
    const asUser = await fetch(`${context.url}/v1/admin/audit/verify`, { headers: { authorization: `Bearer ${context.token('user')}` } });
    expect(asUser.status).toBe(403);
    const anonymous = await fetch(`${context.url}/v1/admin/audit/verify`);
    expect(anonymous.status).toBe(401);
    const asAdmin = await fetch(`${context.url}/v1/admin/audit/verify`, { headers: { authorization: `Bearer ${context.token('admin')}` } });
    expect(asAdmin.status).toBe(200);
    expect(await asAdmin.json()).toMatchObject({ ok: true, firstBrokenRecord: null });
  });
});
