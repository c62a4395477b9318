import { Inject, Injectable } from '@nestjs/common';
import { BITCOIN_MODULE_OPTIONS, type BitcoinModuleOptions } from '../../bitcoin-module.options';
import { BitcoinRpcClient } from './bitcoin-rpc.client';
import { BitcoinRpcAuthError, BitcoinRpcError, RPC_IN_WARMUP } from './rpc-errors';
import type { BlockchainInfo } from './rpc-schemas';

export interface NodeProbeResult {
  name: 'bitcoin-node';
  up: boolean;
  latencyMs: number;
  error?: string;
  chain?: string;
  blocks?: number;
  headers?: number;
  initialBlockDownload?: boolean;
}

/** A readiness probe answers fast: one attempt, no retries. */
const PROBE_TIMEOUT_MS = 2_000;

/** Whether the node answers and is in sync (not warming up, not in IBD, all known headers validated). */
@Injectable()
export class NodeSyncProbe {
  private readonly client: BitcoinRpcClient;

  constructor(@Inject(BITCOIN_MODULE_OPTIONS) private readonly options: BitcoinModuleOptions) {
    const { wallet: _wallet, ...rpc } = options.rpc;
    this.client = new BitcoinRpcClient({ ...rpc, retries: 0, timeoutMs: Math.min(rpc.timeoutMs ?? PROBE_TIMEOUT_MS, PROBE_TIMEOUT_MS) });
  }

  async probe(): Promise<NodeProbeResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let info: BlockchainInfo;
    try {
      info = await this.client.getBlockchainInfo();
    } catch (error) {
      return { name: 'bitcoin-node', up: false, latencyMs: elapsed(), error: describeFailure(error) };
    }
    const state = { chain: info.chain, blocks: info.blocks, headers: info.headers, initialBlockDownload: info.initialblockdownload };
    const problem = syncProblem(info, this.options.network);
    return { name: 'bitcoin-node', up: problem === undefined, latencyMs: elapsed(), ...(problem ? { error: problem } : {}), ...state };
  }
}

/** Why a node that answers is not ready, or undefined when it is. */
export function syncProblem(info: Pick<BlockchainInfo, 'chain' | 'blocks' | 'headers' | 'initialblockdownload'>, expectedChain: string): string | undefined {
  if (info.chain !== expectedChain) return `node runs chain "${info.chain}", expected "${expectedChain}"`;
  if (info.initialblockdownload) return `node is in initial block download (${info.blocks} blocks of ${info.headers} headers)`;
  if (info.headers > info.blocks) return `node is syncing (${info.blocks} blocks of ${info.headers} headers)`;
  return undefined;
}

function describeFailure(error: unknown): string {
  if (error instanceof BitcoinRpcError && error.code === RPC_IN_WARMUP) return `node is warming up: ${error.rpcMessage}`;
  if (error instanceof BitcoinRpcAuthError) return 'node refused the RPC credentials';
  return `node unreachable: ${(error as Error).message}`;
}
