import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRegtestNode } from '../src/index';
import { client, expectRpcError, post, startNode } from './helpers';

type Tip = { hash: string; height: number };

/** A promise's state without waiting for it. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setTimeout(resolve, 50));
  return done;
}

describe('waitforblockheight (src/rpc/blockchain.cpp)', () => {
  let node: RunningRegtestNode;
  let rpc: ReturnType<typeof client>;

  beforeAll(async () => {
    node = await startNode();
    rpc = client(node);
  });
  afterAll(() => node.close());

  it('answers the tip at once when it is at or past the height', async () => {
    node.controls.mine(2);
    const tip = await rpc<Tip>('waitforblockheight', [1]);
    expect(tip).toEqual({ hash: await rpc('getbestblockhash'), height: 2 });
  });

  it('holds the call until a block reaches the height, answering other calls meanwhile', async () => {
    const height = (await rpc<number>('getblockcount')) + 2;
    const waiting = rpc<Tip>('waitforblockheight', [height, 10_000]);
    expect(await settled(waiting)).toBe(false);
    expect(await rpc('getblockcount')).toBe(height - 2);

    node.controls.mine(1);
    expect(await settled(waiting)).toBe(false);
    const [reached] = node.controls.mine(1);
    expect(await waiting).toEqual({ hash: reached, height });
  });

  it('answers the current tip when the timeout passes first', async () => {
    const tip = { hash: await rpc<string>('getbestblockhash'), height: await rpc<number>('getblockcount') };
    const started = Date.now();
    expect(await rpc<Tip>('waitforblockheight', [tip.height + 1, 300])).toEqual(tip);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('answers the tip after a whole reorg, never a chain half switched', async () => {
    const height = await rpc<number>('getblockcount');
    const waiting = rpc<Tip>('waitforblockheight', [height + 1, 10_000]);
    expect(await settled(waiting)).toBe(false);
    const replaced = node.controls.reorg({ depth: 2 });
    expect(await waiting).toEqual({ hash: replaced[replaced.length - 1], height: height + 1 });
  });

  it("refuses a negative timeout and a missing height as Core does", async () => {
    await expectRpcError(rpc('waitforblockheight', [1, -1]), -1, 'Negative timeout');
    await expectRpcError(rpc('waitforblockheight', []), -1, /^waitforblockheight height timeout/);
    await expectRpcError(rpc('waitforblockheight', ['1']), -3);
  });
});

describe('forbid control (-rpcwhitelist)', () => {
  let node: RunningRegtestNode;

  beforeAll(async () => {
    node = await startNode();
  });
  afterAll(() => node.close());

  it('answers 403 without a body to a request naming a forbidden method, alone or in a batch, until lifted', async () => {
    node.controls.forbidMethod('waitforblockheight');
    const single = await post(node, JSON.stringify({ id: 1, method: 'waitforblockheight', params: [0] }));
    expect({ status: single.status, text: single.text }).toEqual({ status: 403, text: '' });
    const batch = await post(node, JSON.stringify([{ id: 1, method: 'getblockcount' }, { id: 2, method: 'waitforblockheight', params: [0] }]));
    expect(batch.status).toBe(403);
    expect((await post(node, JSON.stringify({ id: 1, method: 'getblockcount' }))).status).toBe(200);

    node.controls.forbidMethod('waitforblockheight', false);
    expect((await post(node, JSON.stringify({ id: 1, method: 'waitforblockheight', params: [0] }))).status).toBe(200);
  });
});
