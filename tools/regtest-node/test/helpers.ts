import { expect } from 'vitest';
import { decodeAddress } from '../src/addresses';
import { startRegtestNode, type RegtestNodeOptions, type RunningRegtestNode } from '../src/index';
import { decodeTx } from '../src/tx';
import { rawHex } from '../src/wallet';

export interface RawResponse {
  status: number;
  text: string;
  headers: Headers;
  json: () => unknown;
}

export async function post(node: RunningRegtestNode, body: string, opts: { path?: string; auth?: string | null } = {}): Promise<RawResponse> {
  const auth = opts.auth === undefined ? `${node.credentials.user}:${node.credentials.password}` : opts.auth;
  const res = await fetch(`${node.url}${opts.path ?? '/'}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth === null ? {} : { authorization: `Basic ${Buffer.from(auth).toString('base64')}` }) },
    body,
  });
  const text = await res.text();
  return { status: res.status, text, headers: res.headers, json: () => JSON.parse(text) };
}

export class RpcCallError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** A JSON-RPC 1.0 client like the gateway's: result or an RpcCallError with Core's code. */
export function client(node: RunningRegtestNode, wallet?: string) {
  return async <T = unknown>(method: string, params: unknown[] | Record<string, unknown> = []): Promise<T> => {
    const res = await post(node, JSON.stringify({ id: 1, method, params }), { path: wallet === undefined ? '/' : `/wallet/${wallet}` });
    const body = res.json() as { result: T; error: { code: number; message: string } | null };
    if (body.error) throw new RpcCallError(body.error.code, body.error.message);
    return body.result;
  };
}

export async function expectRpcError(promise: Promise<unknown>, code: number, message?: string | RegExp): Promise<RpcCallError> {
  try {
    await promise;
  } catch (e) {
    if (!(e instanceof RpcCallError)) throw e;
    if (e.code !== code) throw new Error(`expected code ${code}, got ${e.code}: ${e.message}`);
    if (typeof message === 'string' && e.message !== message) throw new Error(`expected message "${message}", got "${e.message}"`);
    if (message instanceof RegExp && !message.test(e.message)) throw new Error(`message "${e.message}" does not match ${message}`);
    return e;
  }
  throw new Error(`expected RPC error ${code}, call succeeded`);
}

export const startNode = (opts: RegtestNodeOptions = {}) => startRegtestNode({ port: 0, rpcUser: 'user', rpcPassword: 'pass', ...opts });

/** A node whose wallet holds one mature coinbase (101 blocks mined to it), and a client of it. */
export async function startFundedNode(opts: RegtestNodeOptions = {}): Promise<{ node: RunningRegtestNode; rpc: ReturnType<typeof client> }> {
  const node = await startNode(opts);
  const rpc = client(node);
  await rpc('generatetoaddress', [101, await rpc<string>('getnewaddress')]);
  return { node, rpc };
}

export type Rpc = ReturnType<typeof client>;

/** A wallet coin: its outpoint and value in sats. */
export interface TestCoin {
  txid: string;
  vout: number;
  sats: bigint;
}

/** The node wallet's spendable coins (listunspent), largest first. */
export async function walletCoins(rpc: Rpc, minconf = 1): Promise<TestCoin[]> {
  const unspent = await rpc<{ txid: string; vout: number; amount: number }[]>('listunspent', [minconf]);
  return unspent
    .map((u) => ({ txid: u.txid, vout: u.vout, sats: BigInt(Math.round(u.amount * 1e8)) }))
    .sort((a, b) => (b.sats > a.sats ? 1 : b.sats < a.sats ? -1 : 0));
}

/**
 * A transaction spending `inputs` to `outputs` ([address, sats], addresses may repeat), RBF-signalling, signed by the
 * node's wallet and not broadcast: the fee is whatever the inputs leave over.
 */
export async function signedTx(rpc: Rpc, inputs: { txid: string; vout: number }[], outputs: [string, bigint][]): Promise<{ hex: string; txid: string; vsize: number }> {
  const raw = rawHex({
    inputs: inputs.map((i) => ({ txid: i.txid, vout: i.vout, sequence: 0xfffffffd })),
    outputs: outputs.map(([address, value]) => ({ script: (decodeAddress(address) ?? expect.unreachable(address)).script, value })),
    locktime: 0,
  });
  const signed = await rpc<{ hex: string; complete: boolean }>('signrawtransactionwithwallet', [raw]);
  expect(signed.complete).toBe(true);
  const tx = decodeTx(signed.hex);
  return { hex: signed.hex, txid: tx.txid, vsize: tx.vsize };
}

/** Spends one coin to one address paying `feeSats`; returns the broadcast txid and the new coin. */
export async function spendTo(rpc: Rpc, coin: TestCoin, address: string, feeSats: bigint): Promise<TestCoin & { vsize: number }> {
  const tx = await signedTx(rpc, [coin], [[address, coin.sats - feeSats]]);
  await rpc('sendrawtransaction', [tx.hex]);
  return { txid: tx.txid, vout: 0, sats: coin.sats - feeSats, vsize: tx.vsize };
}
