import { Injectable, Logger } from '@nestjs/common';
import { AddressValidator } from '../addresses/address-validator';
import { BitcoinRpcClient } from '../node/bitcoin-rpc.client';
import { WalletSigner } from '../wallet/wallet-signer';
import { FeeBumpRefusedError } from './fee-bump.errors';
import { feeAtRate, formatSatPerVb } from './fee-rate';
import { withdrawalFeeShares } from './fee-split';
import { PayoutStore, type PayoutWithWithdrawals, type SignedTransaction } from './payout-store';
import { dustThresholdSats } from './tx-output';
import { sendSignedTransaction } from '../wallet/wallet-queries';
import { changeOutput } from './withdrawal-fee-bumper';

export interface CpfpResult {
  txid: string;
  /** What the child pays, for itself and the payout. */
  feeSats: bigint;
  /** The fee rate of the payout and its child together. */
  packageSatPerKvB: bigint;
}

/**
 * Child pays for parent, where RBF cannot be used (others spend the payout's outputs, or the node refuses the
 * replacement): a child spending the payout's change back to the wallet pays for both, so that the two together reach
 * the rate, within what every withdrawal's maxFeeSats allows of their combined fee. The child is persisted (no
 * withdrawals, `paysForId`) with the withdrawals' new fee shares before it is broadcast; a definite "no" from the node on
 * that first broadcast drops it again (it never left).
 */
@Injectable()
export class PayoutCpfp {
  private readonly logger = new Logger('WithdrawalSender');

  constructor(
    private readonly rpc: BitcoinRpcClient,
    private readonly validator: AddressValidator,
    private readonly store: PayoutStore,
    private readonly signer: WalletSigner,
  ) {}

  /** Throws {@link FeeBumpRefusedError} when no child can be made (nothing is stored then). */
  async payFor(payout: PayoutWithWithdrawals, satPerKvB: bigint): Promise<CpfpResult> {
    const vouts = payout.withdrawals.map((w) => w.vout ?? -1);
    const change = changeOutput(payout.txid, await this.rpc.decodeRawTransaction(payout.rawHex), vouts);
    if ((await this.rpc.getTxOut(payout.txid, change.n, true)) === null) {
      throw new FeeBumpRefusedError('has-descendants', `the change of ${payout.txid} is already spent: no child can pay for it`);
    }
    const address = await this.rpc.getNewAddress({ addressType: 'bech32' });
    // Sized with a first signature, signed again with the fee that size asks.
    const sized = await this.signChild(payout, change, address, 0n);
    const fee = this.childFee(payout, satPerKvB, sized.vsize);
    const ownRate = (fee * 1000n) / BigInt(sized.vsize);
    if (ownRate <= (payout.feeSats * 1000n) / BigInt(payout.vsize)) {
      throw new FeeBumpRefusedError('exceeds-max-fee', `within the withdrawals' maxFeeSats a child of ${payout.txid} cannot pay more than the payout does`);
    }
    if (change.value - fee < dustThresholdSats(change.scriptPubKey.hex)) {
      throw new FeeBumpRefusedError('insufficient-change', `the change of ${change.value} sats cannot pay a child's fee of ${fee} sats`);
    }
    const child = await this.signChild(payout, change, address, fee);
    const shares = withdrawalFeeShares(this.validator, { feeSats: payout.feeSats + child.feeSats, vsize: payout.vsize }, payout.withdrawals);
    const stored = await this.store.createChild(child, payout, shares);

    const outcome = await sendSignedTransaction(this.rpc, stored.rawHex);
    const packageSatPerKvB = ((payout.feeSats + child.feeSats) * 1000n) / BigInt(payout.vsize + child.vsize);
    if (outcome.kind === 'accepted') {
      await this.store.markBroadcast(stored, await this.rpc.getBlockCount());
      this.logger.warn(`payout ${payout.txid}: child ${child.txid} pays ${child.feeSats} sats for it (${formatSatPerVb(packageSatPerKvB)} sat/vB together)`);
      return { txid: child.txid, feeSats: child.feeSats, packageSatPerKvB };
    }
    if (outcome.kind === 'unknown') {
      // It may be out there: it stays signed, and the sender sends the same bytes again.
      await this.store.recordProblem(stored, outcome.error.message, { attempt: true, mayHaveLeft: true });
      return { txid: child.txid, feeSats: child.feeSats, packageSatPerKvB };
    }
    await this.store.dropChild(stored, payout);
    throw new FeeBumpRefusedError('fee-rate-not-higher', `the node refused the child of ${payout.txid}: ${outcome.error.rpcMessage} (code ${outcome.error.code})`);
  }

  /** The child's fee: the package at `satPerKvB`, lowered until no withdrawal's share of the combined fee exceeds its maxFeeSats. */
  private childFee(payout: PayoutWithWithdrawals, satPerKvB: bigint, childVsize: number): bigint {
    const wanted = feeAtRate(satPerKvB, payout.vsize + childVsize);
    const shares = withdrawalFeeShares(this.validator, { feeSats: wanted, vsize: payout.vsize }, payout.withdrawals);
    // Shares scale with the fee: the highest combined fee every maximum allows.
    const allowed = payout.withdrawals.reduce((cap, w, i) => {
      const most = shares[i] === 0n ? wanted : (wanted * w.maxFeeSats) / shares[i];
      return most < cap ? most : cap;
    }, wanted);
    return allowed - payout.feeSats;
  }

  private async signChild(
    payout: PayoutWithWithdrawals,
    change: ReturnType<typeof changeOutput>,
    address: string,
    feeSats: bigint,
  ): Promise<SignedTransaction> {
    const unsigned = await this.rpc.createRawTransaction({
      inputs: [{ txid: payout.txid, vout: change.n }],
      outputs: [{ address, amountSats: change.value - feeSats }],
      replaceable: true,
    });
    const { hex, decoded } = await this.signer.sign(unsigned);
    return { txid: decoded.txid, rawHex: hex, feeSats, vsize: decoded.vsize };
  }
}
