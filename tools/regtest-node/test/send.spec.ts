import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTERNAL_ADDRESS, type RunningRegtestNode } from '../src/index';
import { decodeTx } from '../src/tx';
import { client, expectRpcError, post, signedTx, startFundedNode, walletCoins } from './helpers';

type WalletTx = { confirmations: number; amount: number; fee?: number; details: { category: string; address: string; amount: number }[]; hex: string; trusted?: boolean };

describe('send flow', () => {
  let node: RunningRegtestNode;
  let rpc: ReturnType<typeof client>;

  beforeAll(async () => {
    ({ node, rpc } = await startFundedNode());
  });
  afterAll(() => node.close());

  it('sendtoaddress goes to the mempool, then confirms', async () => {
    const txid = await rpc<string>('sendtoaddress', [EXTERNAL_ADDRESS, 1.5]);
    expect(await rpc('getrawmempool')).toEqual([txid]);
    const pending = await rpc<WalletTx>('gettransaction', [txid]);
    expect(pending.confirmations).toBe(0);
    expect(pending.trusted).toBe(true);
    expect(pending.details).toEqual([expect.objectContaining({ category: 'send', address: EXTERNAL_ADDRESS, amount: -1.5 })]);
    expect(pending.fee).toBeLessThan(0);
    expect(pending.amount).toBe(-1.5);
    const raw = await post(node, JSON.stringify({ id: 1, method: 'gettransaction', params: [txid] }));
    expect(raw.text).toContain('"amount":-1.50000000');

    const [blockhash] = await rpc<string[]>('generatetoaddress', [1, EXTERNAL_ADDRESS]);
    expect(await rpc('getrawmempool')).toEqual([]);
    const mined = await rpc<WalletTx & { blockhash: string }>('gettransaction', [txid]);
    expect(mined).toMatchObject({ confirmations: 1, blockhash });
    await rpc('generatetoaddress', [2, EXTERNAL_ADDRESS]);
    expect((await rpc<WalletTx>('gettransaction', [txid])).confirmations).toBe(3);
    const block = await rpc<{ tx: string[] }>('getblock', [blockhash]);
    expect(block.tx).toContain(txid);
  });

  it('receives to its own address as receive + send', async () => {
    const address = await rpc<string>('getnewaddress', { label: 'deposit' });
    const txid = await rpc<string>('sendtoaddress', { address, amount: '0.00001000' });
    const tx = await rpc<WalletTx>('gettransaction', [txid]);
    expect(tx.details.map((d) => d.category).sort()).toEqual(['receive', 'send']);
    const listed = await rpc<{ txid: string; category: string; label?: string }[]>('listtransactions', ['*', 2]);
    // Core lists the entries of one transaction newest-first reversed: receive before send.
    expect(listed.filter((t) => t.txid === txid).map((t) => t.category)).toEqual(['receive', 'send']);
    expect(listed.find((t) => t.category === 'receive')?.label).toBe('deposit');
  });

  it('rejects invalid addresses, bad amounts and overspending with Core codes', async () => {
    await expectRpcError(rpc('sendtoaddress', ['bcrt1qnotanaddress', 1]), -5, 'Invalid Bitcoin address: bcrt1qnotanaddress');
    await expectRpcError(rpc('sendtoaddress', [EXTERNAL_ADDRESS, '0.000000001']), -3, 'Invalid amount');
    await expectRpcError(rpc('sendtoaddress', [EXTERNAL_ADDRESS, 0]), -3, 'Invalid amount for send');
    await expectRpcError(rpc('sendtoaddress', [EXTERNAL_ADDRESS, 100000]), -6, 'Insufficient funds');
    await expectRpcError(rpc('sendtoaddress', [EXTERNAL_ADDRESS, 1, '', '', false, true, 6, 'unset', false, 5]), -8, /Cannot specify both conf_target and fee_rate/);
  });

  it('signs without broadcasting, then sendrawtransaction is idempotent until mined (-27 after)', async () => {
    await rpc('generatetoaddress', [1, EXTERNAL_ADDRESS]);
    const raw = await rpc<string>('createrawtransaction', [[], { [EXTERNAL_ADDRESS]: 0.25 }]);
    const funded = await rpc<{ hex: string; fee: number; changepos: number }>('fundrawtransaction', [raw]);
    expect(funded.changepos).toBe(1);
    const signed = await rpc<{ hex: string; complete: boolean }>('signrawtransactionwithwallet', [funded.hex]);
    expect(signed.complete).toBe(true);
    expect(await rpc('getrawmempool')).toEqual([]);

    const txid = await rpc<string>('sendrawtransaction', [signed.hex]);
    expect(txid).toMatch(/^[0-9a-f]{64}$/);
    expect(await rpc('sendrawtransaction', [signed.hex])).toBe(txid);
    expect(await rpc('getrawmempool')).toEqual([txid]);
    expect(await rpc('getrawtransaction', [txid])).toBe(signed.hex);
    const decoded = await rpc<{ txid: string; hash: string; vin: { txinwitness: string[] }[] }>('getrawtransaction', [txid, 1]);
    expect(decoded.txid).toBe(txid);
    expect(decoded.hash).not.toBe(txid);
    expect(decoded.vin[0].txinwitness).toHaveLength(2);

    await rpc('generatetoaddress', [1, EXTERNAL_ADDRESS]);
    await expectRpcError(rpc('sendrawtransaction', [signed.hex]), -27, 'Transaction outputs already in utxo set');
  });

  it('signs as Core does, grinding for a low R: no signature is longer than 71 bytes, so sizes never vary with luck', async () => {
    const [coin] = await walletCoins(rpc);
    const lengths = new Set<number>();
    for (let fee = 1_000n; fee < 1_064n; fee++) {
      const tx = decodeTx((await signedTx(rpc, [coin], [[EXTERNAL_ADDRESS, coin.sats - fee]])).hex);
      lengths.add(tx.inputs[0].witness[0].length);
    }
    // DER with a 32-byte R and a low S (70 bytes, rarely fewer) plus the sighash byte; a high R would make 72.
    expect(Math.max(...lengths)).toBeLessThanOrEqual(71);
  });

  it('rejects double spends and bad transactions as the mempool does', async () => {
    const first = await rpc<{ hex: string }>('fundrawtransaction', [await rpc<string>('createrawtransaction', [[], { [EXTERNAL_ADDRESS]: 0.1 }])]);
    const signed = await rpc<{ hex: string }>('signrawtransactionwithwallet', [first.hex]);
    await rpc('sendrawtransaction', [signed.hex]);
    const decoded = await rpc<{ vin: { txid: string; vout: number }[] }>('decoderawtransaction', [signed.hex]);
    const conflict = await rpc<string>('createrawtransaction', [[{ txid: decoded.vin[0].txid, vout: decoded.vin[0].vout }], { [EXTERNAL_ADDRESS]: 0.1 }]);
    const conflictSigned = await rpc<{ hex: string }>('signrawtransactionwithwallet', [conflict]);
    // Pays almost the whole input as fee → higher than the original → valid full-RBF replacement; check a low one instead.
    const lowFee = await rpc<string>('createrawtransaction', [[{ txid: '11'.repeat(32), vout: 0 }], { [EXTERNAL_ADDRESS]: 0.1 }]);
    await expectRpcError(rpc('sendrawtransaction', [lowFee]), -25, 'bad-txns-inputs-missingorspent');
    await expectRpcError(rpc('sendrawtransaction', ['zz']), -22);
    await expectRpcError(rpc('sendrawtransaction', [conflictSigned.hex]), -25, /Fee exceeds maximum/);
  });
});
