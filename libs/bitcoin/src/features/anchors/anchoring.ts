import { Injectable, Logger } from '@nestjs/common';
import { WithdrawalFeeEstimator } from '../fees/withdrawal-fee.estimator';
import type { Anchor } from '../../generated/prisma/client';
import { BitcoinRpcClient } from '../node/bitcoin-rpc.client';
import { formatSatPerVb } from '../withdrawals/fee-rate';
import type { SignedTransaction } from '../withdrawals/payout-store';
import { nullDataScriptHex } from '../withdrawals/tx-output';
import { acceptedByNode, findWalletTransaction, sendSignedTransaction } from '../wallet/wallet-queries';
import { WithdrawalSenderLock } from '../withdrawals/withdrawal-sender.lock';
import { AnchorRefusedError } from './anchor.errors';
import { AnchorStore } from './anchor-store';
import { WalletSigner } from '../wallet/wallet-signer';

export interface PublishedAnchor {
  reference: string;
  txid: string;
  status: 'broadcast' | 'confirmed';
}

/**
 * Publishes data (an audit block's Merkle root) in an OP_RETURN output of a transaction funded by the gateway's
 * wallet, once per reference: createrawtransaction → fundrawtransaction (change back to the wallet) → sign → COMMIT
 * → sendrawtransaction. Funding and broadcasts hold the withdrawal sender's lock and wait until no payout is signed
 * but unaccepted, so coin selection never takes inputs a persisted payout spends (ADR 10).
 */
@Injectable()
export class Anchoring {
  private readonly logger = new Logger('AnchorPublisher');

  constructor(
    private readonly rpc: BitcoinRpcClient,
    private readonly estimator: WithdrawalFeeEstimator,
    private readonly store: AnchorStore,
    private readonly lock: WithdrawalSenderLock,
    private readonly signer: WalletSigner,
  ) {}

  /** Throws {@link AnchorRefusedError}; a repeat with the same reference and data returns the stored anchor. */
  async publish(reference: string, dataHex: string): Promise<PublishedAnchor> {
    const data = dataHex.toLowerCase();
    const known = await this.stored(reference, data);
    if (known && known.status !== 'signed') return this.report(known);
    return this.lock.withLock(async () => {
      const anchor = await this.stored(reference, data);
      if (anchor && anchor.status !== 'signed') return this.report(anchor);
      const signedPayouts = await this.store.signedPayouts();
      if (signedPayouts > 0) {
        throw new AnchorRefusedError('gateway-busy', `${signedPayouts} withdrawal payout(s) are signed but not yet accepted by the node; try again later`);
      }
      return this.broadcast(anchor ?? (await this.store.createSigned(reference, data, await this.sign(data))), { mayRebuild: true });
    });
  }

  private async stored(reference: string, data: string): Promise<Anchor | null> {
    const anchor = await this.store.byReference(reference);
    if (anchor && anchor.dataHex !== data) {
      throw new AnchorRefusedError('reference-conflict', `reference ${reference} already anchors other data (transaction ${anchor.txid})`);
    }
    return anchor;
  }

  private async sign(data: string): Promise<SignedTransaction> {
    const { feeRateSatPerKvB } = await this.estimator.feeRate();
    const unsigned = await this.rpc.createRawTransaction({ outputs: [{ data }], replaceable: true });
    const funded = await this.rpc.fundRawTransaction(unsigned, { feeRateSatPerVb: formatSatPerVb(feeRateSatPerKvB), replaceable: true });
    const { hex, decoded } = await this.signer.sign(funded.hex);
    const script = nullDataScriptHex(data);
    const others = decoded.vout.filter((o) => o.scriptPubKey.hex !== script);
    if (decoded.vout.length - others.length !== 1 || others.some((o) => o.n !== funded.changepos)) {
      throw new Error(`signed transaction ${decoded.txid} has outputs besides the data and the change`);
    }
    return { txid: decoded.txid, rawHex: hex, feeSats: funded.fee, vsize: decoded.vsize };
  }

  /**
   * Sends the stored hex. A rejected anchor that the node neither mined nor holds is built again: nothing of ours
   * depends on it, and publishing the same data twice is harmless.
   */
  private async broadcast(anchor: Anchor, { mayRebuild }: { mayRebuild: boolean }): Promise<PublishedAnchor> {
    const outcome = await sendSignedTransaction(this.rpc, anchor.rawHex);
    if (outcome.kind === 'unknown') {
      await this.store.recordProblem(anchor, outcome.error.message);
      throw new AnchorRefusedError('broadcast-pending', `anchor ${anchor.txid} is stored; its broadcast got no usable answer: ${outcome.error.message}`);
    }
    if (outcome.kind === 'rejected') {
      if (!(await acceptedByNode(this.rpc, anchor.txid)).accepted) {
        const detail = `${outcome.error.rpcMessage} (code ${outcome.error.code})`;
        if (!mayRebuild) {
          await this.store.recordProblem(anchor, `rejected: ${detail}`);
          throw outcome.error;
        }
        this.logger.warn(`anchor ${anchor.reference}: transaction ${anchor.txid} rejected (${detail}); building it again`);
        return this.broadcast(await this.store.replaceSigned(anchor, await this.sign(anchor.dataHex), `rebuilt after: ${detail}`), { mayRebuild: false });
      }
    }
    const broadcast = await this.store.markBroadcast(anchor);
    this.logger.log(`anchor ${anchor.reference} broadcast: ${anchor.txid}, fee ${anchor.feeSats} sats`);
    return this.report(broadcast);
  }

  /** The stored anchor with its status as the node sees it now (confirmed once in a block). */
  private async report(anchor: Anchor): Promise<PublishedAnchor> {
    const tx = await findWalletTransaction(this.rpc, anchor.txid);
    const confirmed = (tx?.confirmations ?? 0) > 0;
    if (confirmed && anchor.status === 'broadcast') await this.store.markConfirmed(anchor);
    return { reference: anchor.reference, txid: anchor.txid, status: confirmed ? 'confirmed' : 'broadcast' };
  }
}
