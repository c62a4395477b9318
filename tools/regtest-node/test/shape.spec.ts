import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTERNAL_ADDRESS, RPC_METHODS, type RunningRegtestNode } from '../src/index';
import { checkShape, helpFiles, parseHelp, type HelpText } from './help-parser';
import { client, startNode } from './helpers';

/** Each implemented RPC with Core help: calls and the Result section (label substring) that documents the answer. */
type Case = { params: (ctx: Ctx) => unknown[]; section?: string };
interface Ctx {
  address: string;
  taproot: string;
  sendTxid: string;
  mempoolTxid: string;
  receiveTxid: string;
  block: string;
  tip: string;
  droppedTxid: string;
  dataTxid: string;
}

const CASES: Record<string, Case[]> = {
  getblockchaininfo: [{ params: () => [] }],
  getblockcount: [{ params: () => [] }],
  getbestblockhash: [{ params: () => [] }],
  getblockhash: [{ params: () => [1] }],
  getblock: [{ params: (c) => [c.block, 1], section: 'verbosity = 1' }],
  getrawmempool: [
    { params: () => [], section: 'verbose = false' },
    { params: () => [true], section: 'verbose = true' },
    { params: () => [false, true], section: 'mempool_sequence = true' },
  ],
  getmempoolentry: [{ params: (c) => [c.mempoolTxid] }],
  estimatesmartfee: [{ params: () => [6] }],
  getrawtransaction: [
    { params: (c) => [c.sendTxid], section: 'verbosity is not set or set to 0' },
    { params: (c) => [c.sendTxid, 1], section: 'verbosity is set to 1' },
    { params: (c) => [c.mempoolTxid, 1], section: 'verbosity is set to 1' },
    { params: (c) => [c.sendTxid, 2], section: 'verbosity = 2' },
    { params: (c) => [c.dataTxid, 2], section: 'verbosity = 2' },
  ],
  getnewaddress: [{ params: () => [] }, { params: () => ['', 'bech32m'] }],
  getaddressinfo: [{ params: (c) => [c.address] }, { params: (c) => [c.taproot] }, { params: () => [EXTERNAL_ADDRESS] }],
  validateaddress: [{ params: (c) => [c.address] }, { params: () => ['nonsense'] }],
  getbalance: [{ params: () => [] }],
  getbalances: [{ params: () => [] }],
  getwalletinfo: [{ params: () => [] }],
  listwallets: [{ params: () => [] }],
  gettransaction: [{ params: (c) => [c.sendTxid] }, { params: (c) => [c.receiveTxid] }, { params: (c) => [c.mempoolTxid] }, { params: (c) => [c.dataTxid] }],
  listtransactions: [{ params: () => ['*', 100] }],
  listsinceblock: [{ params: () => [] }, { params: (c) => [c.block] }],
  listunspent: [{ params: () => [0] }],
  sendtoaddress: [
    { params: () => [EXTERNAL_ADDRESS, 0.001], section: 'verbose is not set or set to false' },
    { params: () => [EXTERNAL_ADDRESS, 0.001, '', '', false, true, null, 'unset', false, 2, true], section: 'verbose is set to true' },
  ],
  sendmany: [
    { params: () => ['', { [EXTERNAL_ADDRESS]: 0.001 }], section: 'verbose is not set or set to false' },
    { params: () => ['', { [EXTERNAL_ADDRESS]: 0.001 }, null, '', [], true, null, 'unset', 3, true], section: 'verbose is set to true' },
  ],
  walletlock: [],
  walletpassphrase: [],
  encryptwallet: [],
  loadwallet: [],
  gettxout: [
    { params: (c) => [c.sendTxid, 0], section: 'Otherwise' },
    { params: () => ['00'.repeat(32), 0], section: 'If the UTXO was not found' },
  ],
  getreceivedbyaddress: [{ params: (c) => [c.address, 0] }],
  bumpfee: [{ params: (c) => [c.mempoolTxid] }],
  abandontransaction: [{ params: (c) => [c.droppedTxid] }],
  // Mines the mempool, so after every case that needs an unconfirmed transaction.
  generatetoaddress: [{ params: () => [1, EXTERNAL_ADDRESS] }],
  // Last: a second wallet makes wallet RPCs on "/" answer -19.
  createwallet: [{ params: () => ['shape-wallet'] }],
};

describe('result shapes match the Bitcoin Core 29.0 help texts', () => {
  const helps = new Map<string, HelpText>(helpFiles().map((f) => [f.split('.')[0], parseHelp(f)]));
  let node: RunningRegtestNode;
  let rpc: ReturnType<typeof client>;
  let ctx: Ctx;

  beforeAll(async () => {
    node = await startNode();
    node.controls.setFeeRate(2000n);
    rpc = client(node);
    const address = await rpc<string>('getnewaddress', ['shape']);
    await rpc('generatetoaddress', [101, address]);
    const sendTxid = await rpc<string>('sendtoaddress', [EXTERNAL_ADDRESS, 1]);
    const receiveTxid = await rpc<string>('sendtoaddress', [address, 2]);
    const [block] = await rpc<string[]>('generatetoaddress', [1, EXTERNAL_ADDRESS]);
    const droppedTxid = await rpc<string>('sendtoaddress', [EXTERNAL_ADDRESS, 0.25]);
    node.controls.mine(1);
    node.controls.reorg({ depth: 1, drop: [droppedTxid] });
    const mempoolTxid = await rpc<string>('sendtoaddress', [EXTERNAL_ADDRESS, 0.5]);
    const funded = await rpc<{ hex: string }>('fundrawtransaction', [await rpc<string>('createrawtransaction', [[], { data: 'ab'.repeat(45) }])]);
    const dataTxid = await rpc<string>('sendrawtransaction', [(await rpc<{ hex: string }>('signrawtransactionwithwallet', [funded.hex])).hex]);
    ctx = { dataTxid, droppedTxid, address, taproot: await rpc<string>('getnewaddress', ['', 'bech32m']), sendTxid, mempoolTxid, receiveTxid, block, tip: block };
  });
  afterAll(() => node.close());

  it('has a help text for every implemented RPC that Core documents here, with the same argument names', () => {
    for (const [method, help] of helps) {
      expect(RPC_METHODS, `${method} is not implemented`).toHaveProperty(method);
      expect(RPC_METHODS[method].args, method).toEqual(help.args);
      expect(CASES, `${method} has no shape case`).toHaveProperty(method);
    }
  });

  for (const [method, cases] of Object.entries(CASES)) {
    for (const [n, c] of cases.entries()) {
      it(`${method} #${n + 1}`, async () => {
        const help = helps.get(method);
        if (!help) throw new Error(`no help text for ${method}`);
        const section = c.section ? help.results.find((r) => r.label.includes(c.section as string)) : help.results[0];
        if (!section) throw new Error(`no Result section "${c.section}" in ${method}`);
        const result = await rpc(method, c.params(ctx));
        expect(checkShape(result, section.shape)).toEqual([]);
      });
    }
  }

  it('encryptwallet, unloadwallet and loadwallet answer as documented', async () => {
    const own = await startNode({ wallets: ['a', 'b'] });
    try {
      const a = client(own, 'a');
      const shapeOf = (method: string) => helps.get(method)?.results[0].shape ?? expect.unreachable(method);
      expect(checkShape(await a('encryptwallet', ['secret']), shapeOf('encryptwallet'))).toEqual([]);
      expect(await a('unloadwallet')).toEqual({});
      expect(checkShape(await client(own)('loadwallet', ['a']), shapeOf('loadwallet'))).toEqual([]);
    } finally {
      await own.close();
    }
  });

  it('walletpassphrase / walletlock answer null on an encrypted wallet', async () => {
    const encrypted = await startNode({ encryptedPassphrase: 'secret' });
    try {
      const call = client(encrypted);
      for (const [method, params] of [
        ['walletpassphrase', ['secret', 60]],
        ['walletlock', []],
      ] as const) {
        const shape = helps.get(method)?.results[0].shape;
        if (!shape) throw new Error(method);
        expect(checkShape(await call(method, [...params]), shape)).toEqual([]);
      }
    } finally {
      await encrypted.close();
    }
  });
});
