import { randomBytes } from 'node:crypto';
import { hex } from '@scure/base';
import { createControls, type Controls } from './controls';
import { Faults } from './faults';
import { RegtestNode } from './node';
import { RpcError, RPC } from './rpc/errors';
import { blockchainMethods } from './rpc/methods/blockchain';
import { validateAddressMethod, walletMethods } from './rpc/methods/wallet';
import { RpcServer, type Credentials } from './rpc/server';
import { Wallet } from './wallet';

export { RegtestNode } from './node';
export { Wallet } from './wallet';
export type { Controls, ReorgOptions } from './controls';
export { EXTERNAL_ADDRESS } from './controls';
export { formatBtc, parseFixedPoint } from './amounts';

/** Every RPC this node answers, with Core's argument names. */
export const RPC_METHODS = { ...blockchainMethods, ...walletMethods, ...validateAddressMethod };

export interface RegtestNodeOptions {
  /** 0 picks a free port (tests); bitcoind's regtest default is 18443. */
  port?: number;
  host?: string;
  rpcUser?: string;
  rpcPassword?: string;
  /** Credentials of POST /control/<action>; default user "control" with the RPC password. */
  controlUser?: string;
  controlPassword?: string;
  /** Wallets loaded at start (default one named "bitro"). */
  wallets?: string[];
  /** Encrypts every wallet with this passphrase (walletpassphrase/walletlock behaviour). */
  encryptedPassphrase?: string;
  /** Hex seed of the first wallet, for reproducible addresses. */
  seedHex?: string;
  /** estimatesmartfee answer in sat/kvB; null = "Insufficient data or no feerate found". */
  feeRateSatPerKvB?: bigint | null;
  /** -mempoolexpiry in hours (Core's default 336). */
  mempoolExpiryHours?: number;
  /** Data directory, as wallet load/create errors name it. */
  datadir?: string;
}

export interface RunningRegtestNode {
  url: string;
  port: number;
  node: RegtestNode;
  controls: Controls;
  credentials: Credentials;
  controlCredentials: Credentials;
  close(): Promise<void>;
}

export async function startRegtestNode(options: RegtestNodeOptions = {}): Promise<RunningRegtestNode> {
  const host = options.host ?? '127.0.0.1';
  const credentials = { user: options.rpcUser ?? '__cookie__', password: options.rpcPassword ?? hex.encode(randomBytes(32)) };
  const controlCredentials = { user: options.controlUser ?? 'control', password: options.controlPassword ?? credentials.password };
  const node = new RegtestNode();
  node.feeEstimate = options.feeRateSatPerKvB ?? null;
  if (options.datadir !== undefined) node.datadir = options.datadir;
  if (options.mempoolExpiryHours !== undefined) node.mempoolExpirySeconds = options.mempoolExpiryHours * 60 * 60;
  (options.wallets ?? ['bitro']).forEach((name, i) => {
    const seed = i === 0 && options.seedHex ? hex.decode(options.seedHex) : undefined;
    node.wallets.set(name, new Wallet(node, { name, seed, passphrase: options.encryptedPassphrase }));
  });
  const faults = new Faults();
  // The control handler runs only on requests, after `controls` exists.
  const server = new RpcServer(node, RPC_METHODS, faults, credentials, controlCredentials, (action, body) => controlAction(controls, action, body));
  const controls = createControls(node, faults, { down: () => server.close(), up: () => server.reopen(host) });
  const port = await server.listen(options.port ?? 18443, host);
  return {
    url: `http://${host}:${port}`,
    port,
    node,
    controls,
    credentials,
    controlCredentials,
    close: () => server.close(),
  };
}

const num = (v: unknown, fallback?: number): number => {
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== 'number') throw new RpcError(RPC.INVALID_PARAMETER, 'expected a number');
  return v;
};
const strList = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.map(String) : undefined);

/** POST /control/<action> → the in-process controls. */
async function controlAction(controls: Controls, action: string, body: Record<string, unknown>): Promise<unknown> {
  switch (action) {
    case 'delay':
      return controls.delay(num(body.ms), typeof body.method === 'string' ? body.method : undefined);
    case 'drop':
      if (typeof body.method === 'string') return controls.dropMethod(body.method, body.times === undefined ? Infinity : num(body.times));
      return controls.dropNext(num(body.count, 1));
    case 'forbid':
      return controls.forbidMethod(String(body.method), body.forbidden !== false);
    case 'down': {
      // Answer first, then go down; come back by itself after `ms` (over HTTP there is no other way back).
      const ms = body.ms === undefined ? undefined : num(body.ms);
      setTimeout(() => {
        void controls.down().then(() => (ms !== undefined ? setTimeout(() => void controls.up(), ms) : undefined));
      }, 10);
      return null;
    }
    case 'warmup':
      return controls.warmup(body.on !== false, typeof body.message === 'string' ? body.message : undefined);
    case 'mine':
      return controls.mine(num(body.blocks, 1), typeof body.address === 'string' ? body.address : undefined);
    case 'reorg':
      return controls.reorg({
        depth: num(body.depth, 1),
        exclude: strList(body.exclude),
        drop: strList(body.drop),
        doubleSpend: strList(body.doubleSpend),
        address: typeof body.address === 'string' ? body.address : undefined,
        wallet: typeof body.wallet === 'string' ? body.wallet : undefined,
      });
    case 'doublespend':
      return controls.doubleSpend(String(body.txid), {
        address: typeof body.address === 'string' ? body.address : undefined,
        wallet: typeof body.wallet === 'string' ? body.wallet : undefined,
      });
    case 'feerate':
      return controls.setFeeRate(body.satPerKvB === null || body.satPerKvB === undefined ? null : BigInt(num(body.satPerKvB)));
    case 'evict':
      return controls.evict(String(body.txid));
    case 'mempoolminfee':
      return controls.setMempoolMinFee(BigInt(num(body.satPerKvB)));
    case 'mempoolclock':
      return controls.advanceMempoolClock(num(body.seconds));
    case 'reset':
      return controls.reset();
    default:
      throw new RpcError(RPC.METHOD_NOT_FOUND, `Unknown control action ${action}`);
  }
}
