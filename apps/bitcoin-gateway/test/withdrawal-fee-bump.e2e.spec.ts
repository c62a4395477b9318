import { randomUUID } from 'node:crypto';
import { BitcoinConsumer } from '@bitro/bitcoin';
import { bumpWithdrawalFeeRoute, GatewayClient, GatewayRefusedError, withdrawalRequestedV1 } from '@bitro/gateway-contract';
import { deliverEvent, newEvent } from '@bitro/messaging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes, startTestGateway, TEST_HMAC_SECRET, type TestGateway } from './test-gateway';

interface GatewayWithdrawal {
  status: string;
  txid: string | null;
}

describe('internal API: withdrawal fee bumps', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway({ WITHDRAWAL_SEND_INTERVAL_MS: '500' });
    await rpc('generatetoaddress', [101, await rpc('getnewaddress', [])]);
  });
  afterAll(() => gateway?.close());

  const rpc = (method: string, params: unknown[]) => gateway.rpc<unknown>(method, params);

  async function withdrawal(id: string): Promise<GatewayWithdrawal | undefined> {
    const rows = await gateway.query('SELECT w.status, p.txid FROM "gateway"."withdrawals" w LEFT JOIN "gateway"."payouts" p ON p.id = w.payout_id WHERE w.id = $1', [id]);
    const [row] = rows;
    return row && { status: String(row['status']), txid: row['txid'] as string | null };
  }

  async function reaches(id: string, status: string): Promise<GatewayWithdrawal> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const current = await withdrawal(id);
      if (current?.status === status) return current;
      if (Date.now() > deadline) throw new Error(`withdrawal ${id} is ${current?.status}, never ${status}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** A withdrawal bitro-api asked for, sent by the gateway's sender and in the mempool. */
  async function broadcastWithdrawal(maxFeeSats = 100_000n): Promise<{ id: string; txid: string }> {
    const id = randomUUID();
    const address = (await rpc('getnewaddress', [])) as string;
    const payload = { withdrawalId: id, userId: randomUUID(), address, amountSats: '100000', maxFeeSats: maxFeeSats.toString() };
    await deliverEvent(gateway.app.get(BitcoinConsumer), newEvent(withdrawalRequestedV1, payload));
    const { txid } = await reaches(id, 'broadcast');
    return { id, txid: txid ?? '' };
  }

  it('replaces the transaction at the new rate, answers its txid and fee, and the replacement is what gets mined', async () => {
    const { id, txid: old } = await broadcastWithdrawal();
    const response = await gateway.post<{ txid: string; replacedTxid: string; feeSats: string; vsize: number; status: string; withdrawalIds: string[] }>(routes.feeBumps, {
      withdrawalId: id,
      feeRateSatPerVb: '25.5',
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toMatchObject({ replacedTxid: old, status: 'broadcast', withdrawalIds: [id], feeSats: expect.stringMatching(/^[0-9]+$/) });
    expect(response.body.txid).not.toBe(old);
    // 25.5 sat/vB of the replacement's size, rounded up.
    expect(BigInt(response.body.feeSats)).toBe((25_500n * BigInt(response.body.vsize) + 999n) / 1000n);
    const mempool = (await rpc('getrawmempool', [])) as string[];
    expect(mempool).toContain(response.body.txid);
    expect(mempool).not.toContain(old);

    await rpc('generatetoaddress', [1, await rpc('getnewaddress', [])]);
    expect(await reaches(id, 'confirmed')).toEqual({ status: 'confirmed', txid: response.body.txid });
    const again = await gateway.post(routes.feeBumps, { withdrawalId: id, feeRateSatPerVb: '40' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ type: 'https://bitro.dev/problems/already-confirmed', status: 409 });
  });

  it('refuses what it cannot or may not do as problem+json naming the reason, and GatewayClient types it', async () => {
    const { id, txid } = await broadcastWithdrawal(5_000n);
    const refused = async (withdrawalId: string, feeRateSatPerVb: string) => {
      const response = await gateway.post<{ type: string; status: number; detail: string }>(routes.feeBumps, { withdrawalId, feeRateSatPerVb });
      return [response.status, response.body.type.replace('https://bitro.dev/problems/', '')];
    };
    expect(await refused(id, '1')).toEqual([409, 'fee-rate-not-higher']);
    // 100 sat/vB of ~141 vB is more than the 5,000 sats the user accepted.
    expect(await refused(id, '100')).toEqual([409, 'exceeds-max-fee']);
    expect(await refused(randomUUID(), '20')).toEqual([409, 'withdrawal-not-found']);
    expect((await withdrawal(id))?.txid).toBe(txid);

    const invalid = await gateway.post<{ errors: Array<{ pointer: string }> }>(routes.feeBumps, { withdrawalId: id, feeRateSatPerVb: '0' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors).toEqual([expect.objectContaining({ in: 'body', pointer: '/feeRateSatPerVb' })]);

    const client = new GatewayClient({ baseUrl: gateway.url, secret: TEST_HMAC_SECRET, timeoutMs: 5_000 });
    const error = await client.call(bumpWithdrawalFeeRoute, { withdrawalId: id, feeRateSatPerVb: '100' }).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(GatewayRefusedError);
    expect(error).toMatchObject({ status: 409, reason: 'exceeds-max-fee', detail: expect.stringContaining(id) });
  });

  it('refuses an unsigned request', async () => {
    const response = await gateway.post(routes.feeBumps, { withdrawalId: randomUUID(), feeRateSatPerVb: '20' }, { secret: 'another-secret-of-the-same-length-0123456' });
    expect(response.status).toBe(401);
  });
});
