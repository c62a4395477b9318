import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRegtestNode } from '../src/index';
import { client, startNode, type Rpc } from './helpers';

type Entry = { txid: string; category: string; amount: number };
type WalletTx = { confirmations: number; walletconflicts: string[]; details: Entry[]; amount: number };

// Bitcoin Core 29, src/wallet/rpc/transactions.cpp ListTransactions: receive entries are listed only when the wallet
// transaction's depth is at least nMinDepth, which gettransaction, listtransactions and listsinceblock pass as 0. A
// receive conflicted by a block has negative depth (CWallet::GetTxDepthInMainChain), so it is not listed; the conflict
// shows through gettransaction's confirmations (CWallet::MarkConflicted). walletconflicts (CWallet::GetConflicts) names
// the wallet's own transactions spending the same inputs: the payer's wallet lists the conflict, the payee's cannot,
// as the conflict does not involve it.
describe('conflicted receives (point 5)', () => {
  let node: RunningRegtestNode;
  let ours: Rpc;
  let theirs: Rpc;
  let receive: string;
  let conflict: string;

  beforeAll(async () => {
    node = await startNode({ wallets: ['bitro', 'outside'] });
    ours = client(node, 'bitro');
    theirs = client(node, 'outside');
    await theirs('generatetoaddress', [101, await theirs<string>('getnewaddress')]);
    const address = await ours<string>('getnewaddress');
    receive = await theirs<string>('sendtoaddress', [address, 2]);
    expect((await ours<{ transactions: Entry[] }>('listsinceblock')).transactions.map((t) => t.txid)).toContain(receive);
    ({ txid: conflict } = node.controls.doubleSpend(receive, { wallet: 'outside' }));
  });
  afterAll(() => node.close());

  it('gettransaction shows the conflict through negative confirmations and no receive detail; the payer also names it', async () => {
    const tx = await ours<WalletTx>('gettransaction', [receive]);
    expect(tx.confirmations).toBe(-1);
    expect(tx.walletconflicts).toEqual([]);
    expect(tx.details).toEqual([]);
    const payer = await theirs<WalletTx>('gettransaction', [receive]);
    expect(payer.confirmations).toBe(-1);
    expect(payer.walletconflicts).toEqual([conflict]);
    await ours('generatetoaddress', [2, await theirs<string>('getnewaddress')]);
    expect((await ours<WalletTx>('gettransaction', [receive])).confirmations).toBe(-3);
  });

  it('listsinceblock and listtransactions no longer list the conflicted receive', async () => {
    const since = await ours<{ transactions: Entry[]; removed: Entry[] }>('listsinceblock');
    expect(since.transactions.map((t) => t.txid)).not.toContain(receive);
    expect((await ours<Entry[]>('listtransactions', ['*', 100])).map((t) => t.txid)).not.toContain(receive);
  });

  it('the payer still lists its conflicted send (ListTransactions lists sends whatever the depth)', async () => {
    const sends = (await theirs<Entry[]>('listtransactions', ['*', 100])).filter((t) => t.txid === receive);
    expect(sends.map((t) => t.category)).toEqual(['send']);
  });
});
