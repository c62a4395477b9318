import { Inject, Injectable, Logger } from '@nestjs/common';
import { BITCOIN_MODULE_OPTIONS, type BitcoinModuleOptions, DEFAULT_WITHDRAWAL_OPTIONS } from '../bitcoin-module.options';
import type { Payout } from '../generated/prisma/client';
import { BitcoinRpcClient } from '../rpc/bitcoin-rpc.client';
import { PayoutBroadcaster } from './payout-broadcaster';
import { PayoutStore, type PayoutWithWithdrawals } from './payout-store';
import { findWalletTransaction, isInMempool } from './wallet-queries';

type TrackResult = 'confirmed' | 'waiting' | 'missing';

/** Follows broadcast payouts until they are deep enough, and puts back in the mempool what fell out of it. */
@Injectable()
export class PayoutTracker {
  private readonly logger = new Logger('WithdrawalSender');
  private readonly confirmations: number;

  constructor(
    private readonly rpc: BitcoinRpcClient,
    private readonly store: PayoutStore,
    private readonly broadcaster: PayoutBroadcaster,
    @Inject(BITCOIN_MODULE_OPTIONS) options: BitcoinModuleOptions,
  ) {
    this.confirmations = (options.withdrawals ?? DEFAULT_WITHDRAWAL_OPTIONS).confirmations;
  }

  /** Returns how many payouts are neither in a block nor in the mempool (their re-broadcast failed). */
  async track(): Promise<number> {
    let missing = 0;
    for (const payout of await this.store.payoutsIn('broadcast')) {
      if ((await this.trackOne(payout)) === 'missing') missing++;
    }
    return missing;
  }

  private async trackOne(payout: PayoutWithWithdrawals): Promise<TrackResult> {
    // Its fee bump holds the withdrawals until the node accepts the bump (or rejects it and hands them back).
    if (payout.withdrawals.length === 0) return 'waiting';
    const tx = await findWalletTransaction(this.rpc, payout.txid);
    const confirmations = tx?.confirmations ?? 0;
    if (confirmations > 0) {
      if (confirmations < this.confirmations || tx?.blockhash === undefined || tx.blockheight === undefined) return 'waiting';
      await this.store.markConfirmed(payout, { confirmations, blockHash: tx.blockhash, blockHeight: tx.blockheight });
      this.logger.log(`payout ${payout.txid} confirmed (${confirmations} blocks)`);
      return 'confirmed';
    }
    if (confirmations < 0) return this.conflicted(payout, -confirmations);
    if (await isInMempool(this.rpc, payout.txid)) return 'waiting';

    // A reorg (or eviction) dropped it, and Core's wallet does not resubmit it at once: the same hex goes out again.
    const outcome = await this.broadcaster.send(payout);
    if (outcome.kind === 'accepted') {
      await this.store.recordRebroadcast(payout);
      this.logger.log(`payout ${payout.txid} was in neither the mempool nor a block: broadcast again`);
      return 'waiting';
    }
    await this.store.recordProblem(payout, `re-broadcast failed: ${outcome.error.message}`, { attempt: true });
    this.logger.warn(`payout ${payout.txid} is in neither the mempool nor a block, and re-broadcasting it failed: ${outcome.error.message}`);
    return 'missing';
  }

  /** A mined transaction spends its inputs: if that is a payout this one replaced, that payout stands after all. */
  private async conflicted(payout: PayoutWithWithdrawals, depth: number): Promise<TrackResult> {
    const winner = await this.minedPredecessor(payout);
    if (winner) {
      await this.store.handOver(payout, winner, `the replaced transaction ${winner.txid} was mined`);
      this.logger.warn(`payout ${payout.txid} lost to the transaction it replaced, ${winner.txid}, which was mined`);
      return this.trackOne(await this.store.payout(winner.id));
    }
    const problem = `conflicted by a transaction mined ${depth} blocks ago that is not one of our payouts; needs an operator`;
    await this.store.recordProblem(payout, problem, { attempt: false });
    this.logger.error(`payout ${payout.txid} ${problem}`);
    return 'waiting';
  }

  private async minedPredecessor(payout: Payout): Promise<Payout | undefined> {
    for (let id = payout.replacesId; id !== null; ) {
      const predecessor = await this.store.payout(id);
      const tx = await findWalletTransaction(this.rpc, predecessor.txid);
      if (tx && tx.confirmations > 0) return predecessor;
      id = predecessor.replacesId;
    }
    return undefined;
  }
}
