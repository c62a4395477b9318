import { Injectable, Logger } from '@nestjs/common';
import type { Payout } from '../../generated/prisma/client';
import { BitcoinRpcClient } from '../node/bitcoin-rpc.client';
import type { BitcoinRpcError } from '../node/rpc-errors';
import { PayoutFate } from './payout-fate';
import { PayoutStore } from './payout-store';
import { acceptedByNode, type SendOutcome, sendSignedTransaction } from '../wallet/wallet-queries';

/** What became of a signed payout: broadcast, still signed (to be sent again, the same hex), or settled without it. */
export type BroadcastResult = 'broadcast' | 'pending' | 'superseded';

/** What became of a re-broadcast of a payout that left the mempool: back in it, still out, or failed (it cannot confirm). */
export type RebroadcastResult = 'waiting' | 'missing' | 'failed';

/** Sends persisted payouts to the node, always their stored hex, and settles what the answer means. */
@Injectable()
export class PayoutBroadcaster {
  private readonly logger = new Logger('WithdrawalSender');

  constructor(
    private readonly rpc: BitcoinRpcClient,
    private readonly store: PayoutStore,
    private readonly fate: PayoutFate,
  ) {}

  send(payout: Payout): Promise<SendOutcome> {
    return sendSignedTransaction(this.rpc, payout.rawHex);
  }

  /** Broadcasts a payout in status signed. */
  async broadcast(payout: Payout): Promise<BroadcastResult> {
    if (await this.waitingForBlock(payout)) return 'pending';
    const outcome = await this.send(payout);
    if (outcome.kind === 'accepted') {
      await this.store.markBroadcast(payout, await this.rpc.getBlockCount());
      this.logger.log(`payout ${payout.txid} broadcast`);
      return 'broadcast';
    }
    if (outcome.kind === 'unknown') {
      await this.store.recordProblem(payout, outcome.error.message, { attempt: true, mayHaveLeft: true });
      this.logger.warn(`payout ${payout.txid}: broadcast outcome unknown, sending the same transaction again next run: ${outcome.error.message}`);
      return 'pending';
    }
    if (outcome.kind === 'deferred') {
      await this.defer(payout, outcome.error);
      return 'pending';
    }
    return this.settleRejected(payout, outcome.error);
  }

  /** Sends a broadcast payout that is in neither the mempool nor a block again (a reorg or an eviction dropped it). */
  async rebroadcast(payout: Payout): Promise<RebroadcastResult> {
    if (await this.waitingForBlock(payout)) return 'missing';
    const outcome = await this.send(payout);
    if (outcome.kind === 'accepted') {
      await this.store.recordRebroadcast(payout);
      this.logger.log(`payout ${payout.txid} was in neither the mempool nor a block: broadcast again`);
      return 'waiting';
    }
    if (outcome.kind === 'deferred') {
      await this.defer(payout, outcome.error);
      return 'missing';
    }
    if (outcome.kind === 'rejected') {
      const proof = await this.fate.cannotConfirm(payout);
      if (proof) {
        await this.store.markRejected(payout, `${describe(outcome.error)}: ${proof}`);
        this.logger.warn(`payout ${payout.txid} cannot confirm (${proof}); its withdrawals failed`);
        return 'failed';
      }
    }
    await this.store.recordProblem(payout, `re-broadcast failed: ${outcome.error.message}`, { attempt: true, mayHaveLeft: outcome.kind === 'unknown' });
    this.logger.warn(`payout ${payout.txid} is in neither the mempool nor a block, and re-broadcasting it failed: ${outcome.error.message}`);
    return 'missing';
  }

  /** After a refusal that a block may lift, the same bytes go out again only once the tip has changed. */
  private async waitingForBlock(payout: Payout): Promise<boolean> {
    return payout.deferredAtTip !== null && payout.deferredAtTip === (await this.rpc.getBestBlockHash());
  }

  private async defer(payout: Payout, error: BitcoinRpcError): Promise<void> {
    await this.store.defer(payout, await this.rpc.getBestBlockHash(), describe(error));
    this.logger.warn(`payout ${payout.txid} refused until a block changes the mempool (${describe(error)}); sent again after the next block`);
  }

  /**
   * A rejection may only mean the transaction is already mined (its outputs spent since), so the wallet is asked first.
   * A rejected fee bump hands its withdrawals back to the payout it replaces. Otherwise the withdrawals fail only when
   * the payout provably cannot confirm (PayoutFate); until then the same bytes go out again every run.
   */
  private async settleRejected(payout: Payout, error: BitcoinRpcError): Promise<BroadcastResult> {
    const detail = describe(error);
    const { tx: known, accepted } = await acceptedByNode(this.rpc, payout.txid);
    if (known && accepted) {
      await this.store.markBroadcast(payout, await this.rpc.getBlockCount());
      this.logger.log(`payout ${payout.txid} is already ${known.confirmations > 0 ? 'mined' : 'in the mempool'}`);
      return 'broadcast';
    }
    if (payout.replacesId) {
      const replaced = await this.store.payout(payout.replacesId);
      await this.store.handOver(payout, replaced, `fee bump rejected: ${detail}`);
      this.logger.warn(`fee bump ${payout.txid} rejected (${detail}); its withdrawals stay with ${replaced.txid}`);
      return 'superseded';
    }
    const proof = await this.fate.cannotConfirm(payout);
    if (proof) {
      await this.store.markRejected(payout, `${detail}: ${proof}`);
      this.logger.warn(`payout ${payout.txid} rejected by the node and cannot confirm (${proof}); its withdrawals failed`);
      return 'superseded';
    }
    const problem = `rejected (${detail}), but it may have reached the network and nothing proves it cannot confirm: sent again every run`;
    await this.store.recordProblem(payout, problem, { attempt: true });
    this.logger.error(`payout ${payout.txid} ${problem}`);
    return 'pending';
  }
}

function describe(error: BitcoinRpcError): string {
  return `${error.rpcMessage} (code ${error.code})`;
}
