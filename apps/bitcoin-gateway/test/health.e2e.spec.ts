import { requestJson } from '@bitro/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from './test-gateway';

type Check = { name: string; up: boolean; error?: string; blocks?: number; headers?: number; initialBlockDownload?: boolean };

describe('health', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(() => gateway?.close());

  const ready = () => requestJson<{ checks: Check[]; down?: string[]; detail?: string }>(gateway.url, 'GET', '/health/ready');

  it('is live', async () => {
    expect(await requestJson(gateway.url, 'GET', '/health/live')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('is not ready in initial block download, and ready with PostgreSQL, Redis and a synced node', async () => {
    // A fresh chain's tip is the years-old genesis block: initial block download, as on a real node.
    const ibd = await ready();
    expect(ibd.status).toBe(503);
    expect(ibd.body.down).toEqual(['bitcoin-node']);
    expect(ibd.body.checks[2]).toMatchObject({ blocks: 0, headers: 0, initialBlockDownload: true });

    gateway.node.controls.mine(1);
    const response = await ready();
    expect(response.status).toBe(200);
    expect(response.body.checks.map((c) => [c.name, c.up])).toEqual([
      ['postgres', true],
      ['redis', true],
      ['bitcoin-node', true],
      ['bitcoin-wallet', true],
      ['fee-estimate', true],
    ]);
    expect(response.body.checks[2]).toMatchObject({ chain: 'regtest', blocks: 1, headers: 1, initialBlockDownload: false });
    expect(response.body.checks[3]).toMatchObject({ wallet: gateway.env.BITCOIN_RPC_WALLET, encrypted: false });
  });

  // Core 29 src/wallet/rpc/wallet.cpp unloadwallet (as a restart without load_on_startup leaves it): wallet RPCs answer
  // -18 until loadwallet; the readiness probe loads it and reports the wallet, not only the node.
  it('loads a wallet Core has unloaded (-18) and reports it ready', async () => {
    await gateway.rpc('unloadwallet', []);
    await expect(gateway.rpc('getwalletinfo', [])).rejects.toThrow(/-18/);
    const response = await ready();
    expect(response.status).toBe(200);
    expect(response.body.checks[3]).toMatchObject({ name: 'bitcoin-wallet', up: true, wallet: gateway.env.BITCOIN_RPC_WALLET });
    expect(await gateway.rpc('getwalletinfo', [])).toMatchObject({ walletname: gateway.env.BITCOIN_RPC_WALLET });
  });

  it('is not ready while the node warms up', async () => {
    gateway.node.controls.warmup(true);
    try {
      const response = await ready();
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      // The wallet answers through the same node: it is down with it.
      expect(response.body.down).toEqual(['bitcoin-node', 'bitcoin-wallet']);
      expect(response.body.detail).toMatch(/bitcoin-node \(node is warming up: Loading block index/);
    } finally {
      gateway.node.controls.warmup(false);
    }
  });

  it('is not ready while the node is down, and ready again when it is back', async () => {
    await gateway.node.controls.down();
    try {
      const response = await ready();
      expect(response.status).toBe(503);
      expect(response.body.down).toEqual(['bitcoin-node', 'bitcoin-wallet']);
      expect(response.body.detail).toMatch(/bitcoin-node \(node unreachable/);
    } finally {
      await gateway.node.controls.up();
    }
    expect((await ready()).status).toBe(200);
  });
});
