import { decodeAddress } from '../../addresses';
import { btc, parseFixedPoint } from '../../amounts';
import { RpcError, RPC } from '../errors';
import { blockJson, REGTEST_DIFFICULTY, REGTEST_TARGET, scriptPubKeyJson, txJson } from '../format';
import { parseHash } from '../params';
import type { MethodTable } from '../registry';
import { decodeTx } from '../../tx';
import { DEFAULT_MAX_FEERATE_SAT_PER_KVB, type RegtestNode } from '../../node';
import { INCREMENTAL_RELAY_SAT_PER_KVB, MIN_RELAY_SAT_PER_KVB } from '../../policy';

const IBD_MAX_TIP_AGE = 24 * 60 * 60;

export const blockchainMethods: MethodTable = {
  getblockchaininfo: {
    args: [],
    handler: (_p, { node }) => {
      const { chain } = node;
      const tip = chain.tip;
      return {
        chain: 'regtest',
        blocks: chain.height,
        headers: chain.height,
        bestblockhash: tip.hash,
        bits: '207fffff',
        target: REGTEST_TARGET,
        difficulty: REGTEST_DIFFICULTY,
        time: tip.time,
        mediantime: chain.medianTimePast(tip),
        verificationprogress: 1,
        initialblockdownload: tip.time < node.now() - IBD_MAX_TIP_AGE,
        chainwork: chain.chainwork(tip),
        size_on_disk: [...chain.blocks.values()].reduce((s, b) => s + b.size + 8, 0),
        pruned: false,
        warnings: [],
      };
    },
  },
  getblockcount: { args: [], handler: (_p, { node }) => node.chain.height },
  getbestblockhash: { args: [], handler: (_p, { node }) => node.chain.tip.hash },
  // Hidden in Core up to 29 (not in `help`), public since 30; src/rpc/blockchain.cpp. Held until the tip reaches
  // `height` or `timeout` ms pass (0: no limit), then answers the tip either way.
  waitforblockheight: {
    args: ['height', 'timeout'],
    required: 1,
    handler: async (p, { node }) => {
      const height = p.required(p.int(0), 0);
      const timeout = p.int(1) ?? 0;
      if (timeout < 0) throw new RpcError(RPC.MISC_ERROR, 'Negative timeout');
      const tip = await node.chain.waitForTip((block) => block.height >= height, timeout);
      return { hash: tip.hash, height: tip.height };
    },
  },
  getblockhash: {
    args: ['height'],
    required: 1,
    handler: (p, { node }) => {
      const height = p.required(p.int(0), 0);
      if (height < 0 || height > node.chain.height) throw new RpcError(RPC.INVALID_PARAMETER, 'Block height out of range');
      return node.chain.active[height].hash;
    },
  },
  getblock: {
    args: ['blockhash', 'verbosity'],
    required: 1,
    handler: (p, { node }) => {
      const hash = parseHash(p.values[0], 'blockhash');
      const raw = p.values[1];
      const verbosity = raw === undefined || raw === null ? 1 : typeof raw === 'boolean' ? (raw ? 1 : 0) : p.required(p.int(1), 1);
      const block = node.chain.blocks.get(hash);
      if (!block) throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, 'Block not found');
      if (verbosity <= 0) throw new RpcError(RPC.MISC_ERROR, 'getblock verbosity 0 is not supported by this regtest node');
      return blockJson(node, block, verbosity);
    },
  },
  invalidateblock: {
    args: ['blockhash'],
    required: 1,
    handler: (p, { node }) => {
      node.invalidateBlock(parseHash(p.values[0], 'blockhash'));
      return null;
    },
  },
  reconsiderblock: {
    args: ['blockhash'],
    required: 1,
    handler: (p, { node }) => {
      node.reconsiderBlock(parseHash(p.values[0], 'blockhash'));
      return null;
    },
  },
  getrawmempool: {
    args: ['verbose', 'mempool_sequence'],
    handler: (p, { node }) => {
      const verbose = p.bool(0) ?? false;
      const sequence = p.bool(1) ?? false;
      if (verbose && sequence) throw new RpcError(RPC.INVALID_PARAMETER, 'Verbose results cannot contain mempool sequence values.');
      const txids = [...node.mempool.entries.keys()];
      if (sequence) return { txids, mempool_sequence: node.mempool.sequence };
      if (!verbose) return txids;
      return Object.fromEntries([...node.mempool.entries.values()].map((e) => [e.tx.txid, mempoolEntryJson(node, e.tx.txid)]));
    },
  },
  getmempoolinfo: {
    args: [],
    handler: (_p, { node }) => {
      const entries = [...node.mempool.entries.values()];
      const bytes = entries.reduce((s, e) => s + e.tx.vsize, 0);
      return {
        loaded: true,
        size: entries.length,
        bytes,
        // Core's DynamicMemoryUsage; the node reports the serialized size as a stand-in.
        usage: entries.reduce((s, e) => s + e.tx.size, 0),
        total_fee: btc(entries.reduce((s, e) => s + e.fee, 0n)),
        maxmempool: 300_000_000,
        mempoolminfee: btc(node.mempoolMinFee()),
        minrelaytxfee: btc(MIN_RELAY_SAT_PER_KVB),
        incrementalrelayfee: btc(INCREMENTAL_RELAY_SAT_PER_KVB),
        unbroadcastcount: 0,
        fullrbf: true,
      };
    },
  },
  getmempoolentry: {
    args: ['txid'],
    required: 1,
    handler: (p, { node }) => {
      const txid = parseHash(p.values[0], 'txid');
      if (!node.mempool.has(txid)) throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, 'Transaction not in mempool');
      return mempoolEntryJson(node, txid);
    },
  },
  estimatesmartfee: {
    args: ['conf_target', 'estimate_mode'],
    required: 1,
    handler: (p, { node }) => {
      const target = p.required(p.int(0), 0);
      if (target < 1 || target > 1008) throw new RpcError(RPC.INVALID_PARAMETER, 'Invalid conf_target, must be between 1 and 1008');
      const mode = (p.str(1) ?? 'economical').toLowerCase();
      if (!['unset', 'economical', 'conservative'].includes(mode)) throw new RpcError(RPC.INVALID_PARAMETER, 'Invalid estimate_mode parameter, must be one of: "unset", "economical", "conservative"');
      if (node.feeEstimate === null) return { errors: ['Insufficient data or no feerate found'], blocks: 0 };
      return { feerate: btc(node.feeEstimate > 1000n ? node.feeEstimate : 1000n), blocks: Math.max(2, target) };
    },
  },
  generatetoaddress: {
    args: ['nblocks', 'address', 'maxtries'],
    required: 2,
    handler: (p, { node }) => {
      const n = p.required(p.int(0), 0);
      const dest = decodeAddress(p.required(p.str(1), 1));
      if (!dest) throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, 'Error: Invalid address');
      return node.mine(n, dest.script);
    },
  },
  getrawtransaction: {
    args: ['txid', 'verbosity', 'blockhash'],
    required: 1,
    handler: (p, { node }) => {
      const txid = parseHash(p.values[0], 'parameter 1');
      const raw = p.values[1];
      const verbosity = raw === undefined || raw === null ? 0 : typeof raw === 'boolean' ? (raw ? 1 : 0) : p.required(p.int(1), 1);
      let found = node.lookupTx(txid);
      if (p.has(2)) {
        const block = node.chain.blocks.get(parseHash(p.values[2], 'parameter 3'));
        if (!block) throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, 'Block hash not found');
        const index = block.txs.findIndex((t) => t.txid === txid);
        found = index >= 0 ? { tx: block.txs[index], block, index } : undefined;
        if (!found) throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, 'No such transaction found in the provided block. Use gettransaction for wallet transactions.');
      }
      if (!found) {
        throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, 'No such mempool or blockchain transaction. Use gettransaction for wallet transactions.');
      }
      if (verbosity <= 0) return found.tx.hex;
      const json = txJson(node, found.tx, verbosity);
      if (!found.block) return json;
      const active = node.chain.isActive(found.block);
      return {
        in_active_chain: p.has(2) ? active : undefined,
        ...json,
        blockhash: found.block.hash,
        confirmations: active ? node.chain.confirmations(found.block) : 0,
        time: found.block.time,
        blocktime: found.block.time,
      };
    },
  },
  sendrawtransaction: {
    args: ['hexstring', 'maxfeerate', 'maxburnamount'],
    required: 1,
    handler: (p, { node }) => {
      const tx = decodeHex(p.required(p.str(0), 0));
      let maxFeeRate = DEFAULT_MAX_FEERATE_SAT_PER_KVB;
      if (p.has(1)) {
        const rate = parseFixedPoint(String(p.values[1]), 8);
        if (rate === null || rate < 0n) throw new RpcError(RPC.TYPE_ERROR, 'Invalid amount');
        maxFeeRate = rate;
      }
      return node.broadcast(tx, maxFeeRate);
    },
  },
  gettxout: {
    args: ['txid', 'n', 'include_mempool'],
    required: 2,
    handler: (p, { node }) => {
      const txid = parseHash(p.values[0], 'txid');
      const vout = p.required(p.int(1), 1);
      const includeMempool = p.bool(2) ?? true;
      const coin = includeMempool ? node.findCoin(txid, vout) : node.chain.utxo.get(`${txid}:${vout}`);
      if (!coin || (includeMempool && node.spentInMempool(txid, vout))) return null;
      const inChain = node.chain.utxo.has(`${txid}:${vout}`);
      const { asm, desc, hex: scriptHex, type, address } = scriptPubKeyJson(coin.script);
      return {
        bestblock: node.chain.tip.hash,
        confirmations: inChain ? node.chain.height - coin.height + 1 : 0,
        value: btc(coin.value),
        scriptPubKey: { asm, desc, hex: scriptHex, type, address },
        coinbase: coin.coinbase,
      };
    },
  },
  decoderawtransaction: {
    args: ['hexstring', 'iswitness'],
    required: 1,
    handler: (p, { node }) => {
      const { hex: _hex, ...json } = txJson(node, decodeHex(p.required(p.str(0), 0)), 1);
      return json;
    },
  },
};

export function decodeHex(text: string) {
  try {
    return decodeTx(text);
  } catch {
    throw new RpcError(RPC.DESERIALIZATION_ERROR, 'TX decode failed. Make sure the tx has at least one input.');
  }
}

/** Core's entryToJSON (src/rpc/mempool.cpp): ancestor and descendant packages counted transitively. */
function mempoolEntryJson(node: RegtestNode, txid: string) {
  const e = node.mempool.get(txid);
  if (!e) return undefined;
  const ancestors = node.mempool.withAncestors(txid);
  const descendants = node.mempool.withDescendants(txid);
  return {
    vsize: e.tx.vsize,
    weight: e.tx.weight,
    time: e.time,
    height: e.height,
    descendantcount: descendants.count,
    descendantsize: descendants.size,
    ancestorcount: ancestors.count,
    ancestorsize: ancestors.size,
    wtxid: e.tx.wtxid,
    fees: { base: btc(e.fee), modified: btc(e.fee), ancestor: btc(ancestors.fees), descendant: btc(descendants.fees) },
    depends: node.mempool.parentsOf(e.tx),
    spentby: node.mempool.childrenOf(txid),
    'bip125-replaceable': e.tx.inputs.some((i) => i.sequence < 0xfffffffe),
    unbroadcast: false,
  };
}
