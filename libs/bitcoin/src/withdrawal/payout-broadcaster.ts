import { Injectable, Logger } from '@nestjs/common';
import type { Payout } from '../generated/prisma/client';
import { BitcoinRpcClient } from '../rpc/bitcoin-rpc.client';
import type { BitcoinRpcError } from '../rpc/rpc-errors';
import { PayoutStore } from './payout-store';
import { acceptedByNode, type SendOutcome, sendSignedTransaction } from './wallet-queries';

/** What became of a signed payout: broadcast, still signed (to be sent again, the same hex), or settled without it. */
export type BroadcastResult = 'broadcast' | 'pending' | 'superseded';

/** Sends persisted payouts to the node, always their stored hex, and settles what the answer means. */
@Injectable()
export class PayoutBroadcaster {
  private readonly logger = new Logger('WithdrawalSender');

  constructor(
    private readonly rpc: BitcoinRpcClient,
    private readonly store: PayoutStore,
  ) {}

  send(payout: Payout): Promise<SendOutcome> {
    return sendSignedTransaction(this.rpc, payout.rawHex);
  }

  /** Broadcasts a payout in status signed. */
  async broadcast(payout: Payout): Promise<BroadcastResult> {
    const outcome = await this.send(payout);
    if (outcome.kind === 'accepted') {
      await this.store.markBroadcast(payout);
      this.logger.log(`payout ${payout.txid} broadcast`);
      return 'broadcast';
    }
    if (outcome.kind === 'unknown') {
      await this.store.recordProblem(payout, outcome.error.message, { attempt: true });
      this.logger.warn(`payout ${payout.txid}: broadcast outcome unknown, sending the same transaction again next run: ${outcome.error.message}`);
      return 'pending';
    }
    return this.settleRejected(payout, outcome.error);
  }

  /**
   * A rejection may only mean the transaction is already mined (its outputs spent since), so the wallet is asked first.
   * A payout fails only when no node ever accepted it: the wallet sees every transaction its node accepts, and the hex
   * never leaves this database otherwise. A rejected fee bump hands its withdrawals back to the payout it replaces.
   */
  private async settleRejected(payout: Payout, error: BitcoinRpcError): Promise<BroadcastResult> {
    const detail = `${error.rpcMessage} (code ${error.code})`;
    const { tx: known, accepted } = await acceptedByNode(this.rpc, payout.txid);
    if (known && accepted) {
      await this.store.markBroadcast(payout);
      this.logger.log(`payout ${payout.txid} is already ${known.confirmations > 0 ? 'mined' : 'in the mempool'}`);
      return 'broadcast';
    }
    if (payout.replacesId) {
      const replaced = await this.store.payout(payout.replacesId);
      await this.store.handOver(payout, replaced, `fee bump rejected: ${detail}`);
      this.logger.warn(`fee bump ${payout.txid} rejected (${detail}); its withdrawals stay with ${replaced.txid}`);
      return 'superseded';
    }
    if (!known) {
      await this.store.markRejected(payout, detail);
      this.logger.warn(`payout ${payout.txid} rejected by the node, its withdrawals failed: ${detail}`);
      return 'superseded';
    }
    const problem = `rejected (${detail}) although the wallet has seen it (${known.confirmations} confirmations); needs an operator`;
    await this.store.recordProblem(payout, problem, { attempt: true });
    this.logger.error(`payout ${payout.txid} ${problem}`);
    return 'pending';
  }
}
