import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, fundedUser, GATEWAY_WALLET, System } from '@bitro/system-testing';
import { totpCode } from '@bitro/testing';
import type { BitroClient } from '@bitro/client';

type Vout = { value: number; scriptPubKey: { asm: string; hex: string; type: string; address?: string } };

let system: System;

beforeAll(async () => {
  system = await System.start({ AUDIT_ANCHOR: 'gateway', AUDIT_BLOCK_INTERVAL_MS: '500' });
});

afterAll(async () => {
  await system?.close();
});

/** The documented OP_RETURN data of an anchored block (libs/audit/README.md), written out independently of the code. */
const documentedPayload = (height: string, merkleRoot: string) => `42545241` + `01` + BigInt(height).toString(16).padStart(16, '0') + merkleRoot;

async function adminClient(): Promise<BitroClient> {
  const email = 'audit-anchor-admin@example.com';
  const created = system.command('admin:create', '--email', email);
  const password = /Generated password \(shown once\): (\S+)/.exec(created.output)?.[1];
  const otpauthUri = /(otpauth:\/\/\S+)/.exec(created.output)?.[1];
  if (created.code !== 0 || !password || !otpauthUri) throw new Error(`admin:create: ${created.output}`);
  const client = system.client();
  await client.signIn({ email, password, totp: totpCode(otpauthUri) });
  return client;
}

describe('audit block roots anchored on the regtest chain (AUDIT_ANCHOR=gateway)', () => {
  it('publishes the root of the block holding a deposit journal as OP_RETURN data, and the proof names the transaction', async () => {
    await fundedUser(system, 10_000_000n);
    // The audit consumer records the deposit's journal after the credit is visible, not with it.
    const record = await eventually(
      async () =>
        (
          await system.apiPool.query<{ id: string; seq: string }>(`SELECT id::text, seq::text FROM "audit"."records" WHERE type = 'ledger.journal' ORDER BY seq LIMIT 1`)
        ).rows[0],
      () => `the deposit's journal was never recorded\n${system.logs()}`,
    );

    const anchored = await eventually(
      async () =>
        (
          await system.apiPool.query<{ height: string; root: string; txid: string }>(
            `SELECT b.height::text, b.merkle_root AS root, a.reference AS txid
             FROM "audit"."blocks" b JOIN "audit"."anchors" a ON a.block_height = b.height AND a.adapter = 'gateway'
             WHERE b.first_seq <= $1::bigint AND b.last_seq >= $1::bigint`,
            [record.seq],
          )
        ).rows[0],
      () => `the block of record ${record.seq} was never anchored\n${system.logs()}`,
    );

    // The node has the transaction, its OP_RETURN output carrying exactly the documented bytes.
    const tx = await system.rpc<{ txid: string; vout: Vout[] }>('getrawtransaction', [anchored.txid, true]);
    const data = tx.vout.filter((o) => o.scriptPubKey.type === 'nulldata');
    expect(data).toHaveLength(1);
    expect(data[0].value).toBe(0);
    expect(data[0].scriptPubKey.asm).toBe(`OP_RETURN ${documentedPayload(anchored.height, anchored.root)}`);
    const [gatewayRow] = (await system.gatewayPool.query(`SELECT reference, txid FROM "gateway"."anchors" WHERE txid = $1`, [anchored.txid])).rows;
    expect(gatewayRow).toEqual({ reference: `audit-block:${anchored.height}`, txid: anchored.txid });

    await system.mine(1);
    expect((await system.rpc<{ confirmations: number }>('gettransaction', [anchored.txid], GATEWAY_WALLET)).confirmations).toBe(1);

    const admin = await adminClient();
    const proof = await admin.GET('/v1/admin/audit/records/{id}/proof', { params: { path: { id: record.id } } });
    expect(proof.response.status, JSON.stringify(proof.error)).toBe(200);
    expect(proof.data?.block).toMatchObject({ height: anchored.height, merkleRoot: anchored.root });
    expect(proof.data?.block.anchors).toEqual([{ adapter: 'gateway', reference: anchored.txid, anchoredAt: expect.any(String) }]);
    expect(system.command('audit:verify').code).toBe(0);
  });
});
