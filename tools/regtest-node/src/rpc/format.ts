import { Script } from '@scure/btc-signer';
import { hex } from '@scure/base';
import { scriptToAddress, scriptType } from '../addresses';
import { btc } from '../amounts';
import type { Block } from '../chain';
import type { RegtestNode } from '../node';
import type { DecodedTx } from '../tx';
import { withChecksum } from './descriptor';

export const REGTEST_DIFFICULTY = 4.656542373906925e-10;
export const REGTEST_TARGET = '7fffff0000000000000000000000000000000000000000000000000000000000';

function scriptNumText(bytes: Uint8Array): string {
  if (bytes.length === 0) return '0';
  let v = 0n;
  bytes.forEach((b, i) => (v |= BigInt(i === bytes.length - 1 ? b & 0x7f : b) << (8n * BigInt(i))));
  return (bytes[bytes.length - 1] & 0x80 ? -v : v).toString();
}

/** Core's ScriptToAsmStr. */
export function scriptAsm(script: Uint8Array): string {
  try {
    return Script.decode(script)
      .map((op) => {
        if (typeof op === 'number') return String(op);
        if (typeof op === 'string') return `OP_${op}`;
        return op.length <= 4 ? scriptNumText(op) : hex.encode(op);
      })
      .join(' ');
  } catch {
    return '[error]';
  }
}

export function scriptPubKeyJson(script: Uint8Array) {
  const address = scriptToAddress(script);
  return {
    asm: scriptAsm(script),
    desc: withChecksum(address ? `addr(${address})` : `raw(${hex.encode(script)})`),
    hex: hex.encode(script),
    address,
    type: scriptType(script),
  };
}

/** Core's TxToUniv; verbosity 2 adds fee and prevouts where the node still knows them. */
export function txJson(node: RegtestNode, tx: DecodedTx, verbosity: number): Record<string, unknown> {
  let fee: bigint | undefined;
  const prevouts = tx.inputs.map((i) => {
    if (verbosity < 2 || tx.isCoinbase) return undefined;
    const loc = node.chain.txIndex.get(i.txid);
    const out = node.lookupTx(i.txid)?.tx.outputs[i.vout];
    return out && { generated: loc?.index === 0, height: loc ? loc.block.height : node.chain.height + 1, value: btc(out.value), scriptPubKey: scriptPubKeyJson(out.script) };
  });
  if (verbosity >= 2 && !tx.isCoinbase && prevouts.every((p) => p)) {
    fee = prevouts.reduce((s, p) => s + (p?.value.sats ?? 0n), 0n) - tx.outputs.reduce((s, o) => s + o.value, 0n);
  }
  return {
    txid: tx.txid,
    hash: tx.wtxid,
    version: tx.version,
    size: tx.size,
    vsize: tx.vsize,
    weight: tx.weight,
    locktime: tx.locktime,
    vin: tx.inputs.map((i, n) =>
      tx.isCoinbase
        ? { coinbase: hex.encode(i.scriptSig), txinwitness: i.witness.length ? i.witness.map((w) => hex.encode(w)) : undefined, sequence: i.sequence }
        : {
            txid: i.txid,
            vout: i.vout,
            scriptSig: { asm: scriptAsm(i.scriptSig), hex: hex.encode(i.scriptSig) },
            txinwitness: i.witness.length ? i.witness.map((w) => hex.encode(w)) : undefined,
            prevout: prevouts[n],
            sequence: i.sequence,
          },
    ),
    vout: tx.outputs.map((o, n) => ({ value: btc(o.value), n, scriptPubKey: scriptPubKeyJson(o.script) })),
    fee: fee === undefined ? undefined : btc(fee),
    hex: tx.hex,
  };
}

export function blockJson(node: RegtestNode, block: Block, verbosity: number): Record<string, unknown> {
  const { chain } = node;
  const active = chain.isActive(block);
  const next = active ? chain.active[block.height + 1] : undefined;
  const stripped = 81 + block.txs.reduce((s, t) => s + (t.weight - t.size) / 3, 0);
  return {
    hash: block.hash,
    confirmations: chain.confirmations(block),
    height: block.height,
    version: block.version,
    versionHex: block.version.toString(16).padStart(8, '0'),
    merkleroot: block.merkleRoot,
    time: block.time,
    mediantime: chain.medianTimePast(block),
    nonce: block.nonce,
    bits: '207fffff',
    target: REGTEST_TARGET,
    difficulty: REGTEST_DIFFICULTY,
    chainwork: chain.chainwork(block),
    nTx: block.txs.length,
    previousblockhash: block.prevHash ?? undefined,
    nextblockhash: next?.hash,
    strippedsize: stripped,
    size: block.size,
    weight: block.weight,
    tx: verbosity <= 1 ? block.txs.map((t) => t.txid) : block.txs.map((t) => txJson(node, t, verbosity >= 3 ? 2 : 1)),
  };
}
