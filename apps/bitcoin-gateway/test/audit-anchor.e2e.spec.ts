import { requestJson } from '@bitro/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes, startTestGateway, type TestGateway } from './test-gateway';

type Vout = { value: number; scriptPubKey: { asm: string; hex: string; type: string; address?: string } };
type Published = { reference: string; txid: string; status: string };

// 'BTRA', version 1, height 7, a 32-byte root: what the audit trail anchors.
const DATA = `42545241${'01'}${'0'.repeat(14)}07${'5a'.repeat(32)}`;

describe('OP_RETURN anchors', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    // The withdrawal sender runs once at start and then not again during these tests: it would otherwise try (and
    // fail) the hand-made payout of the busy test and change its state under the test.
    gateway = await startTestGateway({ WITHDRAWAL_SEND_INTERVAL_MS: '3600000' });
    await gateway.rpc('generatetoaddress', [101, await gateway.rpc<string>('getnewaddress', [])]);
  });
  afterAll(() => gateway?.close());

  const publish = (reference: string, dataHex: string) => gateway.post<Published>(routes.anchors, { reference, dataHex });

  it('publishes the data in an OP_RETURN output of a wallet-funded transaction, persisted before it was sent', async () => {
    const response = await publish('audit-block:7', DATA);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ reference: 'audit-block:7', txid: expect.stringMatching(/^[0-9a-f]{64}$/), status: 'broadcast' });
    const { txid } = response.body;
    expect(await gateway.rpc('getrawmempool', [])).toEqual([txid]);

    const tx = await gateway.rpc<{ vout: Vout[] }>('getrawtransaction', [txid, true]);
    const data = tx.vout.filter((o) => o.scriptPubKey.type === 'nulldata');
    expect(data).toEqual([{ value: 0, n: expect.any(Number), scriptPubKey: expect.objectContaining({ asm: `OP_RETURN ${DATA}`, hex: `6a2d${DATA}` }) }]);
    // The rest is change back to the gateway's wallet.
    for (const change of tx.vout.filter((o) => o.scriptPubKey.type !== 'nulldata')) {
      expect(await gateway.rpc<{ ismine: boolean }>('getaddressinfo', [change.scriptPubKey.address])).toMatchObject({ ismine: true });
    }
    const rows = await gateway.query('SELECT reference, data_hex, txid, status FROM "gateway"."anchors"');
    expect(rows).toEqual([{ reference: 'audit-block:7', data_hex: DATA, txid, status: 'broadcast' }]);
  });

  it('answers a repeat with the same transaction, and its status from the node', async () => {
    const first = await publish('audit-block:8', DATA);
    const again = await publish('audit-block:8', DATA.toUpperCase());
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await gateway.rpc<string[]>('getrawmempool', [])).toHaveLength(2);

    await gateway.rpc('generatetoaddress', [1, await gateway.rpc<string>('getnewaddress', [])]);
    const confirmed = await publish('audit-block:8', DATA);
    expect(confirmed.body).toEqual({ ...first.body, status: 'confirmed' });
    const rows = await gateway.query('SELECT status FROM "gateway"."anchors" WHERE reference = $1', ['audit-block:8']);
    expect(rows).toEqual([{ status: 'confirmed' }]);
  });

  it('refuses other data under a used reference (409), changing nothing', async () => {
    const first = await publish('audit-block:9', DATA);
    const other = await publish('audit-block:9', 'ff'.repeat(45));
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ type: expect.stringContaining('reference-conflict'), detail: expect.stringContaining(first.body.txid) });
    expect(await gateway.query('SELECT count(*)::int AS n FROM "gateway"."anchors" WHERE reference = $1', ['audit-block:9'])).toEqual([{ n: 1 }]);
  });

  it('refuses data outside 1..80 bytes of hex (400), and an unsigned request (401)', async () => {
    expect((await publish('audit-block:10', 'ab'.repeat(81))).status).toBe(400);
    expect((await publish('audit-block:10', 'abc')).status).toBe(400);
    const unsigned = await requestJson(gateway.url, 'POST', routes.anchors, { body: { reference: 'audit-block:10', dataHex: DATA } });
    expect(unsigned.status).toBe(401);
    expect(await gateway.query('SELECT count(*)::int AS n FROM "gateway"."anchors" WHERE reference = $1', ['audit-block:10'])).toEqual([{ n: 0 }]);
  });

  it('is busy (503, retryable) while a withdrawal payout is signed but not broadcast, and publishes once it is', async () => {
    const [payout] = await gateway.query(
      `INSERT INTO "gateway"."payouts" (id, txid, raw_hex, fee_sats, vsize, status, updated_at)
       VALUES (gen_random_uuid(), $1, '00', 141, 141, 'signed', now()) RETURNING id`,
      ['ab'.repeat(32)],
    );
    const busy = await publish('audit-block:11', DATA);
    expect(busy.status).toBe(503);
    expect(busy.body).toMatchObject({ type: expect.stringContaining('gateway-busy') });
    expect(busy.headers.get('retry-after')).toBe('5');
    expect(await gateway.query('SELECT count(*)::int AS n FROM "gateway"."anchors" WHERE reference = $1', ['audit-block:11'])).toEqual([{ n: 0 }]);

    await gateway.query(`UPDATE "gateway"."payouts" SET status = 'broadcast' WHERE id = $1`, [payout.id]);
    const published = await publish('audit-block:11', DATA);
    expect(published.status).toBe(200);
    expect(await gateway.rpc('getrawmempool', [])).toContain(published.body.txid);
  });
});
