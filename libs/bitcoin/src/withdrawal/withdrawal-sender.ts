import { Inject, Injectable, Logger } from '@nestjs/common';
import { AddressValidator } from '../address/address-validator';
import { BITCOIN_MODULE_OPTIONS, type BitcoinModuleOptions, DEFAULT_WITHDRAWAL_OPTIONS, type WithdrawalOptions } from '../bitcoin-module.options';
import type { Prisma, Withdrawal } from '../generated/prisma/client';
import { GatewayPrisma } from '../persistence/gateway-prisma';
import { PayoutBroadcaster } from './payout-broadcaster';
import { PayoutBuilder } from './payout-builder';
import { PayoutStore } from './payout-store';
import { PayoutTracker } from './payout-tracker';
import { scriptPubKeyOf } from './tx-output';

const QUEUED = { status: 'queued' } satisfies Prisma.WithdrawalWhereInput;
const OLDEST_FIRST = [{ requestedAt: 'asc' }, { id: 'asc' }] satisfies Prisma.WithdrawalOrderByWithRelationInput[];
const PAGE = 500;

/**
 * One run of the withdrawal sender:
 * 1. broadcast every payout still signed (the same hex as persisted);
 * 2. follow broadcast payouts: confirm them, re-broadcast what a reorg dropped;
 * 3. only if nothing is left unsettled (the wallet knows every input we signed away): build, persist and broadcast
 *    new payouts from the queued withdrawals, one transaction at a time.
 */
@Injectable()
export class WithdrawalSender {
  private readonly logger = new Logger('WithdrawalSender');
  private readonly options: WithdrawalOptions;

  constructor(
    private readonly prisma: GatewayPrisma,
    private readonly validator: AddressValidator,
    private readonly store: PayoutStore,
    private readonly broadcaster: PayoutBroadcaster,
    private readonly builder: PayoutBuilder,
    private readonly tracker: PayoutTracker,
    @Inject(BITCOIN_MODULE_OPTIONS) options: BitcoinModuleOptions,
  ) {
    this.options = options.withdrawals ?? DEFAULT_WITHDRAWAL_OPTIONS;
  }

  async run(): Promise<void> {
    let pending = 0;
    for (const payout of await this.store.payoutsIn('signed')) {
      if ((await this.broadcaster.broadcast(payout)) === 'pending') pending++;
    }
    const missing = await this.tracker.track();
    // The wallet does not know the inputs of a transaction it has not accepted: building now could spend them twice.
    if (pending > 0 || missing > 0) {
      this.logger.warn(`not building new payouts: ${pending} signed payout(s) not yet accepted, ${missing} dropped payout(s) not re-broadcast`);
      return;
    }
    await this.sendQueued();
  }

  private async sendQueued(): Promise<void> {
    for (;;) {
      const batch = await this.nextBatch();
      if (batch.length === 0) return;
      const { payout, failed } = await this.builder.build(batch);
      if (payout && (await this.broadcaster.broadcast(payout)) === 'pending') return;
      if (!payout && failed === 0) return;
    }
  }

  /** Oldest first, at most batchMax, one per destination (Core takes one output per address); [] while the window is open. */
  private async nextBatch(): Promise<Withdrawal[]> {
    const { batchWindowMs, batchMax } = this.options;
    const oldest = await this.prisma.withdrawal.findFirst({ where: QUEUED, orderBy: OLDEST_FIRST });
    if (!oldest) return [];
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
