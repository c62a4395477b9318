import { Inject, Injectable, Logger } from '@nestjs/common';
import { BITCOIN_MODULE_OPTIONS, type BitcoinModuleOptions, DEFAULT_WITHDRAWAL_OPTIONS } from '../../bitcoin-module.options';
import type { Payout } from '../../generated/prisma/client';
import { BitcoinRpcClient } from '../node/bitcoin-rpc.client';
import { PayoutBroadcaster } from './payout-broadcaster';
import { PayoutFate } from './payout-fate';
import { StuckPayoutBump } from './stuck-payout-bump';
import { PayoutStore, type PayoutWithWithdrawals } from './payout-store';
import { findWalletTransaction, isInMempool } from '../wallet/wallet-queries';

/** confirmed: settled (confirmed, or failed because it cannot confirm); missing: out of the mempool, not taken back. */
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
    private readonly fate: PayoutFate,
    private readonly bumper: StuckPayoutBump,
    @Inject(BITCOIN_MODULE_OPTIONS) options: BitcoinModuleOptions,
  ) {
    this.confirmations = (options.withdrawals ?? DEFAULT_WITHDRAWAL_OPTIONS).confirmations;
  }

  /** Answers how many payouts it followed, and how many are neither in a block nor in the mempool (their re-broadcast failed). */
  async track(): Promise<{ tracked: number; missing: number }> {
    const broadcast = await this.store.payoutsIn('broadcast');
    let missing = 0;
    for (const payout of broadcast) {
      if ((await this.trackOne(payout)) === 'missing') missing++;
    }
    return { tracked: broadcast.length, missing };
  }

  private async trackOne(payout: PayoutWithWithdrawals): Promise<TrackResult> {
    if (payout.paysForId !== null) return this.trackChild(payout);
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
    // Core's wallet does not resubmit a transaction a reorg or an eviction dropped at once: the same hex goes out again.
    const state = (await isInMempool(this.rpc, payout.txid)) ? 'waiting' : await this.broadcaster.rebroadcast(payout);
    if (state === 'failed') return 'confirmed';
    // In the mempool or not (evicted for its fee rate), a payout stuck for too many blocks pays more, within its holds.
    await this.bumper.bumpIfStuck(payout);
    return state;
  }

  /** A CPFP child: settled once deep enough, sent again when it fell out of the mempool (after its parent, older). */
  private async trackChild(child: Payout): Promise<TrackResult> {
    const tx = await findWalletTransaction(this.rpc, child.txid);
    const confirmations = tx?.confirmations ?? 0;
    if (confirmations > 0) {
      if (confirmations < this.confirmations || tx?.blockhash === undefined || tx.blockheight === undefined) return 'waiting';
      await this.store.markConfirmed(child, { confirmations, blockHash: tx.blockhash, blockHeight: tx.blockheight });
      return 'confirmed';
    }
    if (confirmations < 0) {
      // Only its parent's double spend conflicts it: the parent's withdrawals fail with it, and nothing paid this fee.
      await this.store.markRejected(child, `conflicted by a transaction mined ${-confirmations} blocks ago`);
      return 'confirmed';
    }
    if (await isInMempool(this.rpc, child.txid)) return 'waiting';
    const state = await this.broadcaster.rebroadcast(child);
    return state === 'failed' ? 'confirmed' : state;
  }

  /** A mined transaction spends its inputs: if that is a payout this one replaced, that payout stands after all. */
  private async conflicted(payout: PayoutWithWithdrawals, depth: number): Promise<TrackResult> {
    const winner = await this.minedPredecessor(payout);
    if (winner) {
      await this.store.handOver(payout, winner, `the replaced transaction ${winner.txid} was mined`);
      this.logger.warn(`payout ${payout.txid} lost to the transaction it replaced, ${winner.txid}, which was mined`);
      return this.trackOne(await this.store.payout(winner.id));
    }
    const proof = await this.fate.cannotConfirm(payout);
    if (proof) {
      await this.store.markRejected(payout, `double-spent: ${proof}`);
      this.logger.error(`payout ${payout.txid} was double-spent by a transaction mined ${depth} blocks ago that is not one of its versions; its withdrawals failed`);
      return 'confirmed';
    }
    await this.store.recordProblem(payout, `conflicted by a transaction mined ${depth} blocks ago`, { attempt: false });
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
