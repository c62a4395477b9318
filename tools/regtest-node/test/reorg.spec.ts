import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTERNAL_ADDRESS, type RunningRegtestNode } from '../src/index';
import { client, startFundedNode } from './helpers';

type Entry = { txid: string; category: string; confirmations: number; walletconflicts: string[]; trusted?: boolean };
type SinceBlock = { transactions: Entry[]; removed?: Entry[]; lastblock: string };

describe('listsinceblock, reorgs and double spends', () => {
  let node: RunningRegtestNode;
  let rpc: ReturnType<typeof client>;
  let deposit: string;

  beforeAll(async () => {
    ({ node, rpc } = await startFundedNode());
    deposit = await rpc<string>('getnewaddress');
  });
  afterAll(() => node.close());

  it('follows a cursor with lastblock and target_confirmations', async () => {
    const tip = await rpc<string>('getbestblockhash');
    const none = await rpc<SinceBlock>('listsinceblock', [tip]);
    expect(none).toEqual({ transactions: [], removed: [], lastblock: tip });

    const txid = await rpc<string>('sendtoaddress', [deposit, 2]);
    const pending = await rpc<SinceBlock>('listsinceblock', [tip]);
    expect(pending.transactions.filter((t) => t.category === 'receive').map((t) => t.txid)).toEqual([txid]);
    expect(pending.lastblock).toBe(tip);

    const [mined] = await rpc<string[]>('generatetoaddress', [1, EXTERNAL_ADDRESS]);
    const next = await rpc<SinceBlock>('listsinceblock', [pending.lastblock]);
    expect(next.transactions.find((t) => t.category === 'receive')).toMatchObject({ txid, confirmations: 1 });
    expect(next.lastblock).toBe(mined);
    // The cursor moved past the block: nothing new.
    expect((await rpc<SinceBlock>('listsinceblock', [next.lastblock])).transactions).toEqual([]);
    // target_confirmations=2 keeps the cursor one block back so the tx is reported again.
    const lagging = await rpc<SinceBlock>('listsinceblock', { blockhash: tip, target_confirmations: 2 });
    expect(lagging.lastblock).toBe(tip);
  });

  it('reports a transaction dropped by a reorg in removed, and it returns to the mempool', async () => {
    const cursor = await rpc<string>('getbestblockhash');
    const txid = await rpc<string>('sendtoaddress', [deposit, 1]);
    const [oldBlock] = await rpc<string[]>('generatetoaddress', [1, EXTERNAL_ADDRESS]);
    const seen = await rpc<SinceBlock>('listsinceblock', [cursor]);
    expect(seen.transactions.some((t) => t.txid === txid)).toBe(true);

    const newBlocks = node.controls.reorg({ depth: 1, exclude: [txid] });
    expect(newBlocks).toHaveLength(2);
    expect(await rpc('getblockcount')).toBe(104);
    expect(await rpc('getrawmempool')).toEqual([txid]);
    const stale = await rpc<{ confirmations: number }>('getblock', [oldBlock]);
    expect(stale.confirmations).toBe(-1);

    const after = await rpc<SinceBlock>('listsinceblock', [seen.lastblock]);
    expect(after.removed?.map((t) => t.txid)).toContain(txid);
    expect(after.transactions.find((t) => t.txid === txid && t.category === 'receive')).toMatchObject({ confirmations: 0 });
    expect(after.lastblock).toBe(newBlocks[1]);
    await rpc('generatetoaddress', [1, EXTERNAL_ADDRESS]);
    expect((await rpc<{ confirmations: number }>('gettransaction', [txid])).confirmations).toBe(1);
  });

  it('drops a transaction entirely when asked: 0 confirmations, untrusted, not in the mempool', async () => {
    const txid = await rpc<string>('sendtoaddress', [EXTERNAL_ADDRESS, 0.5]);
    await rpc('generatetoaddress', [1, EXTERNAL_ADDRESS]);
    node.controls.reorg({ depth: 1, drop: [txid] });
    expect(await rpc('getrawmempool')).toEqual([]);
    expect(await rpc('gettransaction', [txid])).toMatchObject({ confirmations: 0, trusted: false });
  });

  it('double-spends a mempool transaction: the original gets negative confirmations and walletconflicts', async () => {
    const txid = await rpc<string>('sendtoaddress', [EXTERNAL_ADDRESS, 0.3]);
    const cursor = await rpc<string>('getbestblockhash');
    const { txid: conflict, blockhash } = node.controls.doubleSpend(txid);
    expect(await rpc('getbestblockhash')).toBe(blockhash);
    const original = await rpc<Entry>('gettransaction', [txid]);
    expect(original.confirmations).toBe(-1);
    expect(original.walletconflicts).toContain(conflict);
    expect(original.trusted).toBe(false);
    expect(await rpc('gettransaction', [conflict])).toMatchObject({ confirmations: 1, walletconflicts: expect.arrayContaining([txid]) });
    const since = await rpc<SinceBlock>('listsinceblock', [cursor]);
    expect(since.transactions.find((t) => t.txid === txid)).toMatchObject({ confirmations: -1 });
    await rpc('generatetoaddress', [1, EXTERNAL_ADDRESS]);
    expect((await rpc<Entry>('gettransaction', [txid])).confirmations).toBe(-2);
  });

  it('double-spends a confirmed transaction through a reorg: removed + negative confirmations', async () => {
    const txid = await rpc<string>('sendtoaddress', [EXTERNAL_ADDRESS, 0.2]);
    await rpc('generatetoaddress', [1, EXTERNAL_ADDRESS]);
    const cursor = await rpc<string>('getbestblockhash');
    node.controls.reorg({ depth: 1, doubleSpend: [txid] });
    const since = await rpc<SinceBlock>('listsinceblock', [cursor]);
    expect(since.removed?.map((t) => t.txid)).toContain(txid);
    expect(since.transactions.find((t) => t.txid === txid)).toMatchObject({ confirmations: -2 });
  });

  it('invalidateblock / reconsiderblock switch chains and restore the mempool', async () => {
    const txid = await rpc<string>('sendtoaddress', [EXTERNAL_ADDRESS, 0.1]);
    const [block] = await rpc<string[]>('generatetoaddress', [1, EXTERNAL_ADDRESS]);
    const height = await rpc<number>('getblockcount');
    await rpc('invalidateblock', [block]);
    expect(await rpc('getblockcount')).toBe(height - 1);
    expect(await rpc('getrawmempool')).toEqual([txid]);
    await rpc('reconsiderblock', [block]);
    expect(await rpc('getbestblockhash')).toBe(block);
    expect(await rpc('getrawmempool')).toEqual([]);
  });
});
