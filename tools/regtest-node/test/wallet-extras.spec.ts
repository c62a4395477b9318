import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTERNAL_ADDRESS, type RunningRegtestNode } from '../src/index';
import { client, expectRpcError, startNode, startFundedNode } from './helpers';

type Tx = { confirmations: number; fee: number; replaced_by_txid?: string; replaces_txid?: string; details: { abandoned: boolean }[] };

describe('bumpfee, abandontransaction, gettxout, getreceivedbyaddress, createwallet', () => {
  let node: RunningRegtestNode;
  let rpc: ReturnType<typeof client>;
  let address: string;

  beforeAll(async () => {
    node = await startNode();
    rpc = client(node);
    address = await rpc<string>('getnewaddress');
    await rpc('generatetoaddress', [101, address]);
  });
  afterAll(() => node.close());

  it('bumpfee replaces a mempool transaction with a higher fee', async () => {
    const txid = await rpc<string>('sendtoaddress', [EXTERNAL_ADDRESS, 1]);
    const bumped = await rpc<{ txid: string; origfee: number; fee: number; errors: string[] }>('bumpfee', [txid, { fee_rate: 50 }]);
    expect(bumped.fee).toBeGreaterThan(bumped.origfee);
    expect(await rpc('getrawmempool')).toEqual([bumped.txid]);
    expect(await rpc<Tx>('gettransaction', [txid])).toMatchObject({ replaced_by_txid: bumped.txid, confirmations: 0 });
    expect(await rpc<Tx>('gettransaction', [bumped.txid])).toMatchObject({ replaces_txid: txid });
    await rpc('generatetoaddress', [1, EXTERNAL_ADDRESS]);
    expect((await rpc<Tx>('gettransaction', [txid])).confirmations).toBe(-1);
    await expectRpcError(rpc('bumpfee', [bumped.txid]), -8, 'Transaction has been mined, or is conflicted with a mined transaction');
  });

  it('abandons only transactions that are neither confirmed nor in the mempool', async () => {
    const txid = await rpc<string>('sendtoaddress', [EXTERNAL_ADDRESS, 0.5]);
    await expectRpcError(rpc('abandontransaction', [txid]), -5, 'Transaction not eligible for abandonment');
    node.controls.mine(1);
    node.controls.reorg({ depth: 1, drop: [txid] });
    expect(await rpc('abandontransaction', [txid])).toBeNull();
    expect((await rpc<Tx>('gettransaction', [txid])).details[0].abandoned).toBe(true);
  });

  it('gettxout sees chain and mempool coins and hides spent ones', async () => {
    const txid = await rpc<string>('sendtoaddress', [EXTERNAL_ADDRESS, 0.3]);
    expect(await rpc('gettxout', [txid, 0])).toMatchObject({ confirmations: 0, value: 0.3, coinbase: false });
    expect(await rpc('gettxout', [txid, 0, false])).toBeNull();
    await rpc('generatetoaddress', [1, EXTERNAL_ADDRESS]);
    expect(await rpc('gettxout', [txid, 0, false])).toMatchObject({ confirmations: 1, scriptPubKey: { address: EXTERNAL_ADDRESS } });
  });

  it('getreceivedbyaddress counts confirmed receipts to one wallet address', async () => {
    const deposit = await rpc<string>('getnewaddress');
    await rpc('sendtoaddress', [deposit, 0.4]);
    expect(await rpc('getreceivedbyaddress', [deposit])).toBe(0);
    expect(await rpc('getreceivedbyaddress', [deposit, 0])).toBe(0.4);
    await rpc('generatetoaddress', [1, EXTERNAL_ADDRESS]);
    expect(await rpc('getreceivedbyaddress', [deposit])).toBe(0.4);
    await expectRpcError(rpc('getreceivedbyaddress', [EXTERNAL_ADDRESS]), -4, 'Address not found in wallet');
  });

  it('createwallet adds a wallet; wallet RPCs on / then need a wallet path (-19)', async () => {
    expect(await rpc('createwallet', ['second'])).toEqual({ name: 'second' });
    // Core's HandleWalletError (src/wallet/rpc/util.cpp): FAILED_ALREADY_EXISTS is RPC_WALLET_ALREADY_EXISTS.
    await expectRpcError(rpc('createwallet', ['second']), -36, /Database already exists\.$/);
    expect(await rpc('listwallets')).toEqual(['bitro', 'second']);
    await expectRpcError(rpc('getbalances'), -19);
    expect(await client(node, 'second')('getbalances')).toMatchObject({ mine: { trusted: 0 } });
  });
});

describe('bech32m (taproot) addresses', () => {
  let node: RunningRegtestNode;
  let rpc: ReturnType<typeof client>;

  beforeAll(async () => {
    ({ node, rpc } = await startFundedNode());
  });
  afterAll(() => node.close());

  it('receives on bcrt1p and spends that coin with a key-path signature', async () => {
    const taproot = await rpc<string>('getnewaddress', ['', 'bech32m']);
    expect(taproot).toMatch(/^bcrt1p[02-9ac-hj-np-z]{58}$/);
    expect(await rpc('getaddressinfo', [taproot])).toMatchObject({ ismine: true, iswitness: true, witness_version: 1, hdkeypath: "m/86h/1h/0h/0/0" });
    const txid = await rpc<string>('sendtoaddress', [taproot, 1]);
    await rpc('generatetoaddress', [1, EXTERNAL_ADDRESS]);
    const tx = await rpc<{ vout: { n: number; scriptPubKey: { address: string } }[] }>('getrawtransaction', [txid, 1]);
    const vout = tx.vout.find((o) => o.scriptPubKey.address === taproot)?.n;
    const raw = await rpc<string>('createrawtransaction', [[{ txid, vout }], { [EXTERNAL_ADDRESS]: 0.5 }]);
    const funded = await rpc<{ hex: string }>('fundrawtransaction', [raw]);
    const signed = await rpc<{ hex: string; complete: boolean }>('signrawtransactionwithwallet', [funded.hex]);
    expect(signed.complete).toBe(true);
    const spend = await rpc<string>('sendrawtransaction', [signed.hex]);
    const decoded = await rpc<{ vin: { txid: string; txinwitness: string[] }[] }>('getrawtransaction', [spend, 1]);
    // A key-path spend carries one 64-byte Schnorr signature.
    expect(decoded.vin[0]).toMatchObject({ txid });
    expect(decoded.vin[0].txinwitness.map((w) => w.length)).toEqual([128]);
  });
});
