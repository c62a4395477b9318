import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { PG_POOL, Poller } from '@bitro/db';
import type { Pool } from 'pg';
import { BITCOIN_MODULE_OPTIONS, DEFAULT_DEPOSIT_OPTIONS, type BitcoinModuleOptions, type DepositOptions } from '../../bitcoin-module.options';
import { BitcoinRpcClient } from '../node/bitcoin-rpc.client';
import { BitcoinRpcAuthError, BitcoinRpcError } from '../node/rpc-errors';
import { DepositScan } from './deposit-scan';

/**
 * PostgreSQL advisory lock key (session level, `pg_try_advisory_lock`) held by the replica running deposit scans;
 * the others skip theirs. 0x67770001: "gw" and lock 1 of the gateway.
 */
export const DEPOSIT_SCAN_LOCK_KEY = 0x6777_0001;

/** How long one `waitforblockheight` call is held: under Core's `-rpcservertimeout` (30 s by default). */
const TIP_WAIT_MS = 20_000;
/** How much longer than the hold the answer to a held call may take. */
const TIP_ANSWER_MS = 2_000;

interface Tip {
  hash: string;
  height: number;
}

/**
 * Runs the deposit scan every `scanIntervalMs` on one replica at a time, and at once when the tip changes. The tip is
 * watched with Core's `waitforblockheight <next height> <20 s>`, a call the node holds until a block arrives: one call
 * per block or 20 s instead of a poll a second, and a block found between two calls answers the next one at once.
 * Where the node refuses that call (an `-rpcwhitelist` without it, a node without it), `getbestblockhash` is polled
 * every `tipPollMs` instead. Between two calls it waits `tipPollMs`, so a node that answers at once (shutting down)
 * is not called in a loop. A tip replaced at the same height answers only at the hold's end; the scan interval bounds
 * that. Started and stopped by the app, not on module init. While the node is down the scan's failure is logged once
 * and retried every interval.
 */
@Injectable()
export class DepositScanSchedule implements OnModuleDestroy {
  private readonly logger = new Logger(DepositScanSchedule.name);
  private readonly options: DepositOptions;
  private pollers: { scan: Poller; tip: Poller; stopping: AbortController } | undefined;
  private lastTip: Tip | undefined;
  private canWait = true;

  constructor(
    private readonly depositScan: DepositScan,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(BITCOIN_MODULE_OPTIONS) private readonly moduleOptions: BitcoinModuleOptions,
  ) {
    this.options = moduleOptions.deposits ?? DEFAULT_DEPOSIT_OPTIONS;
  }

  get running(): boolean {
    return this.pollers !== undefined;
  }

  start(): void {
    if (this.pollers) return;
    const scan = new Poller({
      name: 'DepositScan',
      intervalMs: this.options.scanIntervalMs,
      run: () => this.depositScan.run(),
      exclusive: { pool: this.pool, lockKey: DEPOSIT_SCAN_LOCK_KEY },
    });
    const stopping = new AbortController();
    const rpc = new BitcoinRpcClient({ ...this.moduleOptions.rpc, retries: 0, timeoutMs: TIP_WAIT_MS + TIP_ANSWER_MS, signal: stopping.signal });
    const tip = new Poller({ name: 'DepositTipWatch', intervalMs: this.options.tipPollMs, run: () => this.watchTip(rpc, scan) });
    this.pollers = { scan, tip, stopping };
    scan.start();
    tip.start();
  }

  /** Stops both pollers, waiting for a scan in progress. */
  async stop(): Promise<void> {
    const pollers = this.pollers;
    if (!pollers) return;
    this.pollers = undefined;
    this.lastTip = undefined;
    pollers.stopping.abort();
    await Promise.all([pollers.tip.stop(), pollers.scan.stop()]);
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  private async watchTip(rpc: BitcoinRpcClient, scan: Poller): Promise<void> {
    const last = this.lastTip;
    let tip: Tip;
    try {
      tip = this.canWait
        ? await rpc.waitForBlockHeight(last ? last.height + 1 : 0, TIP_WAIT_MS)
        : { hash: await rpc.getBestBlockHash(), height: last?.height ?? 0 };
    } catch (error) {
      if (this.canWait && refusesCall(error)) {
        this.canWait = false;
        this.logger.warn(`Bitcoin Core refused waitforblockheight (${(error as Error).message}); polling getbestblockhash every ${this.options.tipPollMs} ms instead`);
      }
      // Otherwise the scan poller reports the node's failures; one log line is enough.
      return;
    }
    if (last !== undefined && tip.hash !== last.hash) scan.wake();
    this.lastTip = tip;
  }
}

/** Core's answer to a method the user may not call (-rpcwhitelist: HTTP 403) or that it does not have (-32601). */
function refusesCall(error: unknown): boolean {
  return (error instanceof BitcoinRpcAuthError && error.status === 403) || (error instanceof BitcoinRpcError && error.kind === 'method-not-found');
}
