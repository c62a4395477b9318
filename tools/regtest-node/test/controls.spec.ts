import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTERNAL_ADDRESS, type RunningRegtestNode } from '../src/index';
import { client, expectRpcError, post, startNode, startFundedNode } from './helpers';

async function control(node: RunningRegtestNode, action: string, body: unknown = {}, auth = `${node.controlCredentials.user}:${node.controlCredentials.password}`) {
  const res = await fetch(`${node.url}/control/${action}`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(auth).toString('base64')}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.text()) || null };
}

describe('test controls', () => {
  let node: RunningRegtestNode;
  let rpc: ReturnType<typeof client>;

  beforeAll(async () => {
    node = await startNode({ controlPassword: 'ctl' });
    rpc = client(node);
  });
  afterAll(() => node.close());

  it('protects the control endpoint with its own credentials', async () => {
    expect((await control(node, 'mine', { blocks: 1 }, 'user:pass')).status).toBe(401);
    const mined = await control(node, 'mine', { blocks: 2 });
    expect(mined.status).toBe(200);
    expect(JSON.parse(mined.body as string).result).toHaveLength(2);
    expect(await rpc('getblockcount')).toBe(2);
    expect((await control(node, 'nosuch')).status).toBe(404);
  });

  it('drops the next N requests by closing the socket, then answers again', async () => {
    await control(node, 'drop', { count: 2 });
    await expect(rpc('getblockcount')).rejects.toThrow();
    await expect(rpc('getblockcount')).rejects.toThrow();
    expect(await rpc('getblockcount')).toBe(2);
  });

  it('drops calls of one method only, a given number of times', async () => {
    node.controls.dropMethod('getbestblockhash', 1);
    await expect(rpc('getbestblockhash')).rejects.toThrow();
    expect(await rpc('getblockcount')).toBe(2);
    expect(await rpc('getbestblockhash')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('delays answers: a delayed call finishes after a later undelayed one', async () => {
    await control(node, 'delay', { ms: 1000 });
    const order: string[] = [];
    const slow = rpc('getblockcount').then(() => order.push('slow'));
    await new Promise((r) => setTimeout(r, 50));
    node.controls.delay(0);
    await rpc('getblockcount').then(() => order.push('fast'));
    await slow;
    expect(order).toEqual(['fast', 'slow']);
  });

  it('delays the answers to one method only, after processing the call', async () => {
    const own = await startNode({ controlPassword: 'ctl' });
    const ownRpc = client(own);
    try {
      await control(own, 'delay', { ms: 2000, method: 'generatetoaddress' });
      const started = Date.now();
      const mined = ownRpc('generatetoaddress', [1, EXTERNAL_ADDRESS]);
      await new Promise((r) => setTimeout(r, 100));
      // Already mined while its answer waits; other methods answer at once.
      expect(await ownRpc('getblockcount')).toBe(1);
      expect(Date.now() - started).toBeLessThan(1500);
      await mined;
      expect(Date.now() - started).toBeGreaterThanOrEqual(1990);
      await control(own, 'reset');
      const again = Date.now();
      await ownRpc('generatetoaddress', [1, EXTERNAL_ADDRESS]);
      expect(Date.now() - again).toBeLessThan(1500);
    } finally {
      await own.close();
    }
  });

  it('goes down (connections refused) and comes back with its state', async () => {
    await node.controls.down();
    await expect(rpc('getblockcount')).rejects.toThrow();
    await node.controls.up();
    expect(await rpc('getblockcount')).toBe(2);
    // Over HTTP, "down" must come back by itself: poll until it is down, then until it answers again.
    await control(node, 'down', { ms: 1000 });
    const answers = async () => rpc('getblockcount').then(() => true, () => false);
    let wentDown = false;
    for (let i = 0; i < 100 && !wentDown; i++) {
      wentDown = !(await answers());
      if (!wentDown) await new Promise((r) => setTimeout(r, 5));
    }
    expect(wentDown).toBe(true);
    let back = false;
    for (let i = 0; i < 200 && !back; i++) {
      back = await answers();
      if (!back) await new Promise((r) => setTimeout(r, 20));
    }
    expect(back).toBe(true);
  });

  it('switches warm-up over HTTP', async () => {
    await control(node, 'warmup', { on: true });
    expect((await post(node, '{"id":1,"method":"getblockcount"}')).status).toBe(500);
    await control(node, 'warmup', { on: false });
    expect(await rpc('getblockcount')).toBe(2);
  });

  it('configures estimatesmartfee', async () => {
    expect(await rpc('estimatesmartfee', [6])).toEqual({ errors: ['Insufficient data or no feerate found'], blocks: 0 });
    await control(node, 'feerate', { satPerKvB: 2500 });
    const raw = await post(node, '{"id":1,"method":"estimatesmartfee","params":{"conf_target":3}}');
    expect(raw.text).toContain('"feerate":0.00002500');
    expect(raw.json()).toMatchObject({ result: { feerate: 0.000025, blocks: 3 } });
    await expectRpcError(rpc('estimatesmartfee', [0]), -8, 'Invalid conf_target, must be between 1 and 1008');
  });

  it('reorgs over HTTP', async () => {
    const before = await rpc<string>('getbestblockhash');
    const res = await control(node, 'reorg', { depth: 1 });
    expect(JSON.parse(res.body as string).result).toHaveLength(2);
    expect(await rpc('getblockcount')).toBe(3);
    expect(await rpc('getblock', [before])).toMatchObject({ confirmations: -1 });
  });
});

describe('encrypted wallet', () => {
  let node: RunningRegtestNode;
  let rpc: ReturnType<typeof client>;

  beforeAll(async () => {
    ({ node, rpc } = await startFundedNode({ encryptedPassphrase: 'correct horse' }));
  });
  afterAll(() => node.close());

  it('refuses to send while locked (-13), rejects a wrong passphrase (-14), sends once unlocked', async () => {
    await expectRpcError(rpc('sendtoaddress', [EXTERNAL_ADDRESS, 1]), -13, 'Error: Please enter the wallet passphrase with walletpassphrase first.');
    await expectRpcError(rpc('walletpassphrase', ['nope', 60]), -14, 'Error: The wallet passphrase entered was incorrect.');
    expect(await rpc('getwalletinfo')).toMatchObject({ unlocked_until: 0 });
    expect(await rpc('walletpassphrase', { passphrase: 'correct horse', timeout: 60 })).toBeNull();
    expect((await rpc<{ unlocked_until: number }>('getwalletinfo')).unlocked_until).toBeGreaterThan(0);
    expect(await rpc('sendtoaddress', [EXTERNAL_ADDRESS, 1])).toMatch(/^[0-9a-f]{64}$/);
    expect(await rpc('walletlock')).toBeNull();
    await expectRpcError(rpc('sendtoaddress', [EXTERNAL_ADDRESS, 1]), -13);
  });

  it('answers -15 on an unencrypted wallet', async () => {
    const plain = await startNode();
    try {
      const call = client(plain);
      await expectRpcError(call('walletpassphrase', ['x', 1]), -15, 'Error: running with an unencrypted wallet, but walletpassphrase was called.');
      await expectRpcError(call('walletlock'), -15, 'Error: running with an unencrypted wallet, but walletlock was called.');
    } finally {
      await plain.close();
    }
  });
});
