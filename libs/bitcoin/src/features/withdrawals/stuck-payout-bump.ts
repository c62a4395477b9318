import { Inject, Injectable, Logger } from '@nestjs/common';
import { AddressValidator } from '../addresses/address-validator';
import { BITCOIN_MODULE_OPTIONS, type BitcoinModuleOptions } from '../../bitcoin-module.options';
import { FeeEstimateUnavailableError } from '../fees/fee-estimate.errors';
import { WithdrawalFeeEstimator } from '../fees/withdrawal-fee.estimator';
import { BitcoinRpcClient } from '../node/bitcoin-rpc.client';
import { FeeBumpRefusedError } from './fee-bump.errors';
import { feeAtRate, formatSatPerVb } from './fee-rate';
import { withdrawalFeeShares } from './fee-split';
import { PayoutCpfp } from './payout-cpfp';
import { PayoutStore, type PayoutWithWithdrawals } from './payout-store';
import { WithdrawalFeeBumper } from './withdrawal-fee-bumper';

/**
 * Automatic RBF of payouts unconfirmed for `withdrawals.bumpAfterBlocks` blocks since the node accepted them (in the
 * mempool, or evicted from it for their fee rate): the current estimate, and at least a quarter (and 1 sat/vB) more than
 * the payout pays, capped by the highest rate every withdrawal's maxFeeSats allows. Where RBF cannot be used (others
 * spend the payout's outputs, or the node refuses the replacement) a child spending its change pays for it (CPFP,
 * PayoutCpfp). Runs inside the sender's run (under its lock); one attempt per payout and block.
 */
@Injectable()
export class StuckPayoutBump {
  private readonly logger = new Logger('WithdrawalSender');
  private readonly afterBlocks: number;
  private readonly attempted = new Map<string, number>();

  constructor(
    private readonly rpc: BitcoinRpcClient,
    private readonly validator: AddressValidator,
    private readonly estimator: WithdrawalFeeEstimator,
    private readonly bumper: WithdrawalFeeBumper,
    private readonly cpfp: PayoutCpfp,
    private readonly store: PayoutStore,
    @Inject(BITCOIN_MODULE_OPTIONS) options: BitcoinModuleOptions,
  ) {
    this.afterBlocks = options.withdrawals?.bumpAfterBlocks ?? 0;
  }

  async bumpIfStuck(payout: PayoutWithWithdrawals): Promise<void> {
    if (this.afterBlocks === 0 || payout.broadcastHeight === null || payout.withdrawals.length === 0) return;
    const height = await this.rpc.getBlockCount();
    if (height - payout.broadcastHeight < this.afterBlocks || this.attempted.get(payout.id) === height) return;
    this.attempted.set(payout.id, height);

    const current = (payout.feeSats * 1000n) / BigInt(payout.vsize);
    const estimate = await this.estimator.feeRate().then(
      (rate) => rate.feeRateSatPerKvB,
      (error: unknown) => (error instanceof FeeEstimateUnavailableError ? 0n : Promise.reject(error)),
    );
    const wanted = [estimate, current + current / 4n, current + 1_000n].reduce((a, b) => (a > b ? a : b));
    const rate = [wanted, this.highestAllowedRate(payout, wanted)].reduce((a, b) => (a < b ? a : b));
    const blocks = height - payout.broadcastHeight;
    try {
      const result = await this.bumper.bumpHeld(payout.withdrawals[0].id, rate);
      this.logger.warn(`payout ${payout.txid} unconfirmed for ${blocks} blocks: replaced by ${result.txid} at ${formatSatPerVb(rate)} sat/vB (${result.status})`);
      if (result.status !== 'superseded') return;
    } catch (error) {
      if (!(error instanceof FeeBumpRefusedError)) throw error;
      this.logger.warn(`payout ${payout.txid} unconfirmed for ${blocks} blocks; no replacement (${error.reason}): ${error.message}`);
      if (error.reason !== 'has-descendants') return;
    }
    // Others spend its outputs, or the node refused the replacement: a child pays for it instead.
    try {
      await this.cpfp.payFor(await this.store.payout(payout.id), wanted);
    } catch (error) {
      if (!(error instanceof FeeBumpRefusedError)) throw error;
      this.logger.warn(`payout ${payout.txid}: no child pays for it (${error.reason}): ${error.message}`);
    }
  }

  /** The highest rate at which no withdrawal's share of the fee exceeds its maxFeeSats (shares scale with the fee). */
  private highestAllowedRate(payout: PayoutWithWithdrawals, rate: bigint): bigint {
    const shares = withdrawalFeeShares(this.validator, { feeSats: feeAtRate(rate, payout.vsize), vsize: payout.vsize }, payout.withdrawals);
    return payout.withdrawals.reduce((cap, w, i) => {
      const allowed = shares[i] === 0n ? rate : (rate * w.maxFeeSats) / shares[i];
      return allowed < cap ? allowed : cap;
    }, rate);
  }
}
