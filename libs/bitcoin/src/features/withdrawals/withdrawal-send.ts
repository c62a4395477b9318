import { Inject, Injectable, Logger } from '@nestjs/common';
import { AddressValidator } from '../addresses/address-validator';
import { BITCOIN_MODULE_OPTIONS, type BitcoinModuleOptions, DEFAULT_WITHDRAWAL_OPTIONS, type WithdrawalOptions } from '../../bitcoin-module.options';
import type { Prisma, Withdrawal } from '../../generated/prisma/client';
import { BitcoinPrisma } from '../../persistence/bitcoin-prisma';
import { PayoutBroadcaster } from './payout-broadcaster';
import { PayoutBuilder } from './payout-builder';
import { PayoutStore } from './payout-store';
import { PayoutTracker } from './payout-tracker';
import { ReservesLedger } from '../reserves/reserves-ledger';
import { BitcoinRpcClient } from '../node/bitcoin-rpc.client';
import { scriptPubKeyOf } from './tx-output';
import { WithdrawalTraces } from './withdrawal-traces';

const QUEUED = { status: 'queued' } satisfies Prisma.WithdrawalWhereInput;
const OLDEST_FIRST = [{ requestedAt: 'asc' }, { id: 'asc' }] satisfies Prisma.WithdrawalOrderByWithRelationInput[];
const PAGE = 500;

/**
 * One run of the withdrawal sender:
 * 1. broadcast every payout still signed (the same hex as persisted);
 * 2. follow broadcast payouts: confirm them, re-broadcast what a reorg dropped;
 * 3. only if nothing is left unsettled (the wallet knows every input we signed away) and no reserves mismatch is open:
 *    build, persist and broadcast new payouts from the queued withdrawals, one transaction at a time; a refusal that a
 *    block lifts (mempool chain limit) or a missing fee estimate stops building until the tip changes.
 */
@Injectable()
export class WithdrawalSend {
  private readonly logger = new Logger('WithdrawalSender');
  private readonly options: WithdrawalOptions;
  /** The tip at which building had to wait for a block (mempool chain limit, no fee estimate). */
  private waitingAtTip: string | undefined;
  private pausedSince: Date | undefined;

  constructor(
    private readonly prisma: BitcoinPrisma,
    private readonly validator: AddressValidator,
    private readonly store: PayoutStore,
    private readonly broadcaster: PayoutBroadcaster,
    private readonly builder: PayoutBuilder,
    private readonly tracker: PayoutTracker,
    private readonly reserves: ReservesLedger,
    private readonly rpc: BitcoinRpcClient,
    private readonly traces: WithdrawalTraces,
    @Inject(BITCOIN_MODULE_OPTIONS) options: BitcoinModuleOptions,
  ) {
    this.options = options.withdrawals ?? DEFAULT_WITHDRAWAL_OPTIONS;
  }

  /**
   * One run. Answers whether withdrawals are still in flight (queued, signed, unconfirmed, or held by a pause): while
   * they are, the schedule runs again soon; otherwise only a newly queued withdrawal has work for it.
   */
  async run(): Promise<boolean> {
    const signed = await this.store.payoutsIn('signed');
    let pending = 0;
    for (const payout of signed) {
      if ((await this.broadcaster.broadcast(payout)) === 'pending') pending++;
    }
    const { tracked, missing } = await this.tracker.track();
    // The wallet does not know the inputs of a transaction it has not accepted: building now could spend them twice.
    if (pending > 0 || missing > 0) {
      this.logger.warn(`not building new payouts: ${pending} signed payout(s) not yet accepted, ${missing} dropped payout(s) not re-broadcast`);
      return true;
    }
    if (await this.paused()) return true;
    const queued = await this.sendQueued();
    return queued || signed.length > 0 || tracked > 0;
  }

  /** A reserves mismatch nobody has acknowledged stops new payouts (ADR 17); what is already signed still goes out. */
  private async paused(): Promise<boolean> {
    const pause = await this.reserves.pause();
    if (pause && this.pausedSince?.getTime() !== pause.since.getTime()) {
      this.logger.error(`automatic payouts paused: reserves mismatch of ${pause.differenceSats} sats since ${pause.since.toISOString()}, waiting for an admin's acknowledgement`);
    }
    this.pausedSince = pause?.since;
    return pause !== undefined;
  }

  /** Pays queued withdrawals; answers whether any are still in flight (some still queued, or a payout just sent). */
  private async sendQueued(): Promise<boolean> {
    if (this.waitingAtTip !== undefined && this.waitingAtTip === (await this.rpc.getBestBlockHash())) return true;
    this.waitingAtTip = undefined;
    let sent = false;
    for (;;) {
      const batch = await this.nextBatch();
      if (batch === undefined) return sent;
      if (batch.length === 0) return true;
      const { payout, failed, waiting, broadcast } = await this.traces.payout(batch, async () => {
        const built = await this.builder.build(batch);
        return { ...built, broadcast: built.payout && built.waiting === undefined ? await this.broadcaster.broadcast(built.payout) : undefined };
      });
      if (waiting !== undefined) {
        this.waitingAtTip = await this.rpc.getBestBlockHash();
        this.logger.warn(`not building new payouts before the next block: ${waiting}`);
        return true;
      }
      if (broadcast === 'pending') return true;
      if (!payout && failed === 0) return true;
      sent ||= payout !== undefined;
    }
  }

  /**
   * Oldest first, at most batchMax, one per destination (Core takes one output per address); [] while the window is
   * open, undefined when nothing is queued.
   */
  private async nextBatch(): Promise<Withdrawal[] | undefined> {
    const { batchWindowMs, batchMax } = this.options;
    const oldest = await this.prisma.withdrawal.findFirst({ where: QUEUED, orderBy: OLDEST_FIRST });
    if (!oldest) return undefined;
    if (batchWindowMs > 0 && Date.now() - oldest.requestedAt.getTime() < batchWindowMs && (await this.prisma.withdrawal.count({ where: QUEUED })) < batchMax) {
      return [];
    }
    const batch: Withdrawal[] = [];
    const destinations = new Set<string>();
    for (let skip = 0; batch.length < batchMax; skip += PAGE) {
      const page = await this.prisma.withdrawal.findMany({ where: QUEUED, orderBy: OLDEST_FIRST, skip, take: PAGE });
      for (const withdrawal of page) {
        const script = scriptPubKeyOf(this.validator, withdrawal.address);
        if (batch.length === batchMax || destinations.has(script)) continue;
        destinations.add(script);
        batch.push(withdrawal);
      }
      if (page.length < PAGE) break;
    }
    return batch;
  }
}
