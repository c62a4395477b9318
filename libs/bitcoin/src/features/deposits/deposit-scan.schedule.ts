import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { PG_POOL, Poller } from '@bitro/db';
import type { Pool } from 'pg';
import { BITCOIN_MODULE_OPTIONS, DEFAULT_DEPOSIT_OPTIONS, type BitcoinModuleOptions, type DepositOptions } from '../../bitcoin-module.options';
import { BitcoinRpcClient } from '../node/bitcoin-rpc.client';
import { DepositScan } from './deposit-scan';

/**
 * PostgreSQL advisory lock key (session level, `pg_try_advisory_lock`) held by the replica running deposit scans;
 * the others skip theirs. 0x67770001: "gw" and lock 1 of the gateway.
 */
export const DEPOSIT_SCAN_LOCK_KEY = 0x6777_0001;

/** The tip poll must stay light: one attempt, a short timeout. */
const TIP_POLL_TIMEOUT_MS = 2_000;

/**
 * Runs the deposit scan every `scanIntervalMs` on one replica at a time, and at once when a light poll of
 * getbestblockhash (every `tipPollMs`) sees a new tip. Started and stopped by the app, not on module init.
 * While the node is down the scan's failure is logged once and retried every interval.
 */
@Injectable()
export class DepositScanSchedule implements OnModuleDestroy {
  private readonly options: DepositOptions;
  private readonly tipRpc: BitcoinRpcClient;
  private pollers: { scan: Poller; tip: Poller } | undefined;
  private lastTip: string | undefined;

  constructor(
    private readonly depositScan: DepositScan,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(BITCOIN_MODULE_OPTIONS) options: BitcoinModuleOptions,
  ) {
    this.options = options.deposits ?? DEFAULT_DEPOSIT_OPTIONS;
    this.tipRpc = new BitcoinRpcClient({ ...options.rpc, retries: 0, timeoutMs: Math.min(options.rpc.timeoutMs ?? TIP_POLL_TIMEOUT_MS, TIP_POLL_TIMEOUT_MS) });
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
    const tip = new Poller({ name: 'DepositTipPoll', intervalMs: this.options.tipPollMs, run: () => this.pollTip(scan) });
    this.pollers = { scan, tip };
    scan.start();
    tip.start();
  }

  /** Stops both pollers, waiting for a scan in progress. */
  async stop(): Promise<void> {
    const pollers = this.pollers;
    if (!pollers) return;
    this.pollers = undefined;
    this.lastTip = undefined;
    await Promise.all([pollers.tip.stop(), pollers.scan.stop()]);
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  private async pollTip(scan: Poller): Promise<void> {
    let tip: string;
    try {
      tip = await this.tipRpc.getBestBlockHash();
    } catch {
      // The scan poller reports the node's failures; one log line is enough.
      return;
    }
    if (this.lastTip !== undefined && tip !== this.lastTip) scan.wake();
    this.lastTip = tip;
  }
}
