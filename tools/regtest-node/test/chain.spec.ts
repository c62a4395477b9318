import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRegtestNode } from '../src/index';
import { client, post, startNode } from './helpers';

describe('chain', () => {
  let node: RunningRegtestNode;
  let rpc: ReturnType<typeof client>;

  beforeAll(async () => {
    node = await startNode();
    rpc = client(node);
  });
  afterAll(() => node.close());

  it('starts at Core regtest genesis with nothing mined', async () => {
    expect(await rpc('getblockcount')).toBe(0);
    expect(await rpc('getbestblockhash')).toBe('0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206');
    const info = await rpc<Record<string, unknown>>('getblockchaininfo');
    expect(info).toMatchObject({ chain: 'regtest', blocks: 0, headers: 0, initialblockdownload: true });
    const genesis = await rpc<Record<string, unknown>>('getblock', ['0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206']);
    expect(genesis.merkleroot).toBe('4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b');
  });

  it('mines blocks linked by hash with growing confirmations', async () => {
    const address = await rpc<string>('getnewaddress');
    expect(address).toMatch(/^bcrt1q[02-9ac-hj-np-z]{38}$/);
    const hashes = await rpc<string[]>('generatetoaddress', [3, address]);
    expect(hashes).toHaveLength(3);
    expect(await rpc('getblockcount')).toBe(3);
    for (let h = 1; h <= 3; h++) {
      expect(await rpc('getblockhash', [h])).toBe(hashes[h - 1]);
      const block = await rpc<Record<string, unknown>>('getblock', { blockhash: hashes[h - 1] });
      expect(block).toMatchObject({ height: h, confirmations: 4 - h, nTx: 1 });
      expect(block.previousblockhash).toBe(await rpc('getblockhash', [h - 1]));
    }
    const info = await rpc<Record<string, unknown>>('getblockchaininfo');
    expect(info).toMatchObject({ blocks: 3, bestblockhash: hashes[2], initialblockdownload: false });
  });

  it('keeps coinbase immature until 101 confirmations, with 8-decimal amounts in the body', async () => {
    const address = await rpc<string>('getnewaddress');
    await rpc('generatetoaddress', [97, address]);
    // 100 blocks mined to the wallet: the first coinbase has 100 confirmations, still immature.
    const before = await post(node, JSON.stringify({ id: 1, method: 'getbalances', params: [] }));
    expect(before.text).toContain('"trusted":0.00000000');
    expect(before.text).toContain('"immature":5000.00000000');
    await rpc('generatetoaddress', [1, address]);
    const after = await post(node, JSON.stringify({ id: 1, method: 'getbalances', params: [] }));
    expect(after.text).toContain('"trusted":50.00000000');
    expect(after.text).toContain('"immature":5000.00000000');
    const height = await rpc<number>('getblockcount');
    expect(height).toBe(101);
  });

  it('halves the subsidy every 150 blocks', async () => {
    const address = await rpc<string>('getnewaddress');
    await rpc('generatetoaddress', [60, address]);
    const hash150 = await rpc<string>('getblockhash', [150]);
    const block150 = await rpc<{ tx: string[] }>('getblock', [hash150, 2]);
    const block149 = await rpc<{ tx: string[] }>('getblock', [await rpc<string>('getblockhash', [149]), 2]);
    const value = (b: { tx: unknown[] }) => (b.tx[0] as { vout: { value: number }[] }).vout[0].value;
    expect(value(block149)).toBe(50);
    expect(value(block150)).toBe(25);
    const raw = await post(node, JSON.stringify({ id: 1, method: 'getrawtransaction', params: [(block150.tx[0] as unknown as { txid: string }).txid, 1] }));
    expect(raw.text).toContain('"value":25.00000000');
  });
});
