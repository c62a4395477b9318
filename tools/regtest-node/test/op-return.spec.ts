import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTERNAL_ADDRESS, type RunningRegtestNode } from '../src/index';
import { client, expectRpcError, startFundedNode } from './helpers';

type ScriptPubKey = { asm: string; hex: string; type: string; address?: string; desc: string };
type Vout = { value: number; n: number; scriptPubKey: ScriptPubKey };
type TxJson = { txid: string; vout: Vout[] };

const DATA = `42545241${'01'}${'00'.repeat(7)}07${'ab'.repeat(32)}`;

describe('OP_RETURN data outputs', () => {
  let node: RunningRegtestNode;
  let rpc: ReturnType<typeof client>;

  beforeAll(async () => {
    ({ node, rpc } = await startFundedNode());
  });
  afterAll(() => node.close());

  const publish = async (data: string): Promise<string> => {
    const raw = await rpc<string>('createrawtransaction', [[], [{ data }]]);
    const funded = await rpc<{ hex: string; changepos: number }>('fundrawtransaction', [raw]);
    expect(funded.changepos).toBe(1);
    const signed = await rpc<{ hex: string; complete: boolean }>('signrawtransactionwithwallet', [funded.hex]);
    expect(signed.complete).toBe(true);
    return rpc<string>('sendrawtransaction', [signed.hex]);
  };

  it('createrawtransaction makes a zero-value OP_RETURN output that decodes as nulldata', async () => {
    const raw = await rpc<string>('createrawtransaction', [[], { data: DATA }]);
    const decoded = await rpc<TxJson>('decoderawtransaction', [raw]);
    expect(decoded.vout).toHaveLength(1);
    const [out] = decoded.vout;
    expect(out.value).toBe(0);
    expect(out.scriptPubKey).toMatchObject({ asm: `OP_RETURN ${DATA}`, hex: `6a2d${DATA}`, type: 'nulldata' });
    expect(out.scriptPubKey.desc).toMatch(new RegExp(`^raw\\(6a2d${DATA}\\)#[a-z0-9]{8}$`));
    expect(out.scriptPubKey).not.toHaveProperty('address');
  });

  it('uses OP_PUSHDATA1 above 75 bytes', async () => {
    const data = 'cd'.repeat(80);
    const decoded = await rpc<TxJson>('decoderawtransaction', [await rpc<string>('createrawtransaction', [[], [{ data }, { [EXTERNAL_ADDRESS]: 0.001 }]])]);
    expect(decoded.vout[0].scriptPubKey).toMatchObject({ asm: `OP_RETURN ${data}`, hex: `6a4c50${data}`, type: 'nulldata' });
    expect(decoded.vout[1].scriptPubKey.address).toBe(EXTERNAL_ADDRESS);
  });

  it("refuses bad data with Core's errors", async () => {
    await expectRpcError(rpc('createrawtransaction', [[], [{ data: '00' }, { data: '01' }]]), -8, 'Invalid parameter, duplicate key: data');
    await expectRpcError(rpc('createrawtransaction', [[], { data: 'abc' }]), -8, "Data must be hexadecimal string (not 'abc')");
    await expectRpcError(rpc('createrawtransaction', [[], { data: 'zz' }]), -8, "Data must be hexadecimal string (not 'zz')");
    await expectRpcError(rpc('createrawtransaction', [[], { data: '' }]), -8, "Data must be hexadecimal string (not '')");
    await expectRpcError(rpc('createrawtransaction', [[], { data: null }]), -8, "Data must be hexadecimal string (not '')");
  });

  it('funds, signs, relays and mines it; getrawtransaction and getblock show the data', async () => {
    const txid = await publish(DATA);
    expect(await rpc('getrawmempool')).toContain(txid);
    const inMempool = await rpc<TxJson>('getrawtransaction', [txid, true]);
    expect(inMempool.vout[0].scriptPubKey).toMatchObject({ asm: `OP_RETURN ${DATA}`, type: 'nulldata' });
    const wallet = await rpc<{ confirmations: number; details: { category: string; amount: number; address?: string; vout: number }[] }>('gettransaction', [txid]);
    expect(wallet.confirmations).toBe(0);
    expect(wallet.details).toEqual([expect.objectContaining({ category: 'send', amount: 0, vout: 0 })]);
    expect(wallet.details[0]).not.toHaveProperty('address');

    const [blockhash] = await rpc<string[]>('generatetoaddress', [1, EXTERNAL_ADDRESS]);
    const block = await rpc<{ tx: TxJson[] }>('getblock', [blockhash, 2]);
    const mined = block.tx.find((t) => t.txid === txid);
    expect(mined?.vout[0].scriptPubKey).toMatchObject({ asm: `OP_RETURN ${DATA}`, hex: `6a2d${DATA}`, type: 'nulldata' });
    expect((await rpc<{ confirmations: number }>('gettransaction', [txid])).confirmations).toBe(1);
  });

  it('does not relay more than -datacarriersize (83 script bytes)', async () => {
    const raw = await rpc<string>('createrawtransaction', [[], { data: 'ef'.repeat(81) }]);
    const funded = await rpc<{ hex: string }>('fundrawtransaction', [raw]);
    const signed = await rpc<{ hex: string }>('signrawtransactionwithwallet', [funded.hex]);
    await expectRpcError(rpc('sendrawtransaction', [signed.hex]), -26, 'scriptpubkey');
    expect(await publish('ef'.repeat(80))).toMatch(/^[0-9a-f]{64}$/);
  });
});
