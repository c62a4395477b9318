import { Injectable, Logger } from '@nestjs/common';
import { AddressValidator } from '../addresses/address-validator';
import { WithdrawalFeeEstimator } from '../fees/withdrawal-fee.estimator';
import type { Payout, Withdrawal } from '../../generated/prisma/client';
import { BitcoinRpcClient } from '../node/bitcoin-rpc.client';
import { FeeEstimateUnavailableError } from '../fees/fee-estimate.errors';
import { isInsufficientFunds, passesWithTime } from '../node/node-refusals';
import { withdrawalFeeShares } from './fee-split';
import { formatSatPerVb } from './fee-rate';
import { PayoutStore, type SignedTransaction, type WithdrawalFailure } from './payout-store';
import { dustThresholdSats, scriptPubKeyOf } from './tx-output';
import { WalletSigner } from '../wallet/wallet-signer';

export interface BuildResult {
  /** Persisted in status signed, not broadcast yet. */
  payout?: Payout;
  /** Withdrawals of the batch failed instead (fee above their maximum, no funds for them, dust). */
  failed: number;
  /** Nothing can be built before the next block (mempool chain limit) or before the node estimates fees again. */
  waiting?: string;
}

interface SignedBatch extends SignedTransaction {
  vouts: number[];
  shares: bigint[];
}

/**
 * Turns a batch of queued withdrawals (distinct destinations, oldest first) into one signed, persisted payout:
 * createrawtransaction → fundrawtransaction (wallet inputs, change, fee rate of the estimator) → sign → decode.
 */
@Injectable()
export class PayoutBuilder {
  private readonly logger = new Logger('WithdrawalSender');

  constructor(
    private readonly rpc: BitcoinRpcClient,
    private readonly validator: AddressValidator,
    private readonly estimator: WithdrawalFeeEstimator,
    private readonly store: PayoutStore,
    private readonly signer: WalletSigner,
  ) {}

  async build(batch: Withdrawal[]): Promise<BuildResult> {
    // Core refuses to fund an output below the dust limit, which would fail the whole batch, every run.
    const dust = batch.filter((w) => w.amountSats < dustThresholdSats(this.script(w)));
    let candidates = batch.filter((w) => !dust.includes(w));
    const dustDetail = 'the amount is below the dust limit for this address type; the network would not relay it';
    let failed = await this.fail(dust.map((withdrawal) => ({ withdrawal, reason: 'internal', detail: dustDetail })));
    if (candidates.length === 0) return { failed };

    let feeRateSatPerKvB: bigint;
    try {
      ({ feeRateSatPerKvB } = await this.estimator.feeRate());
    } catch (error) {
      if (error instanceof FeeEstimateUnavailableError) return { failed, waiting: error.message };
      throw error;
    }
    while (candidates.length > 0) {
      let signed: SignedBatch;
      try {
        signed = await this.sign(candidates, feeRateSatPerKvB);
      } catch (error) {
        // Unconfirmed coins only, in chains the mempool would refuse to extend: a block frees them.
        if (passesWithTime(error)) return { failed, waiting: error.message };
        if (!isInsufficientFunds(error)) throw error;
        // Only what cannot be funded fails: the oldest alone first, the others in later transactions.
        if (candidates.length > 1) {
          candidates = candidates.slice(0, 1);
          continue;
        }
        failed += await this.fail([{ withdrawal: candidates[0], reason: 'insufficient-funds', detail: `the gateway wallet cannot fund it: ${error.rpcMessage}` }]);
        return { failed };
      }
      const tooHigh = candidates.flatMap((withdrawal, i) =>
        signed.shares[i] > withdrawal.maxFeeSats
          ? [{ withdrawal, reason: 'fee-too-high' as const, detail: `its fee share of ${signed.shares[i]} sats at ${formatSatPerVb(feeRateSatPerKvB)} sat/vB exceeds its maximum of ${withdrawal.maxFeeSats} sats` }]
          : [],
      );
      if (tooHigh.length > 0) {
        failed += await this.fail(tooHigh);
        candidates = candidates.filter((w) => !tooHigh.some((f) => f.withdrawal === w));
        continue;
      }
      const payout = await this.store.createSigned(
        signed,
        candidates.map((withdrawal, i) => ({ withdrawal, vout: signed.vouts[i], feeSats: signed.shares[i] })),
        { status: 'queued', payoutId: null },
      );
      this.logger.log(`payout ${payout.txid} signed: ${candidates.length} withdrawal(s), fee ${payout.feeSats} sats, ${payout.vsize} vB`);
      return { payout, failed };
    }
    return { failed };
  }

  private async sign(withdrawals: Withdrawal[], feeRateSatPerKvB: bigint): Promise<SignedBatch> {
    const unsigned = await this.rpc.createRawTransaction({
      outputs: withdrawals.map((w) => ({ address: w.address, amountSats: w.amountSats })),
      replaceable: true,
    });
    const funded = await this.rpc.fundRawTransaction(unsigned, { feeRateSatPerVb: formatSatPerVb(feeRateSatPerKvB), replaceable: true });
    const { hex, decoded } = await this.signer.sign(funded.hex);

    const scripts = withdrawals.map((w) => this.script(w));
    const vouts = withdrawals.map((w, i) => {
      const matches = decoded.vout.filter((o) => o.scriptPubKey.hex === scripts[i]);
      if (matches.length !== 1 || matches[0].value !== w.amountSats) throw new Error(`signed transaction ${decoded.txid} does not pay withdrawal ${w.id} exactly once`);
      return matches[0].n;
    });
    const others = decoded.vout.filter((o) => !vouts.includes(o.n)).map((o) => o.n);
    if (others.length !== (funded.changepos >= 0 ? 1 : 0) || (others.length === 1 && others[0] !== funded.changepos)) {
      throw new Error(`signed transaction ${decoded.txid} has outputs ${others.join(', ')} besides the withdrawals and the change`);
    }
    const signed = { txid: decoded.txid, rawHex: hex, feeSats: funded.fee, vsize: decoded.vsize };
    return { ...signed, vouts, shares: withdrawalFeeShares(this.validator, signed, withdrawals) };
  }

  private script(withdrawal: Withdrawal): string {
    return scriptPubKeyOf(this.validator, withdrawal.address);
  }

  private async fail(failures: WithdrawalFailure[]): Promise<number> {
    if (failures.length === 0) return 0;
    await this.store.failQueued(failures);
    for (const { withdrawal, reason, detail } of failures) this.logger.warn(`withdrawal ${withdrawal.id} failed (${reason}): ${detail}`);
    return failures.length;
  }
}
