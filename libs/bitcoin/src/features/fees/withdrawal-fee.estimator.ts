import { Inject, Injectable, Logger } from '@nestjs/common';
import { ProblemException } from '@bitro/http';
import { MAX_MONEY_SATS } from '../node/amount';
import { BITCOIN_MODULE_OPTIONS, type BitcoinModuleOptions, DEFAULT_FEE_OPTIONS, type NoEstimatePolicy } from '../../bitcoin-module.options';
import { WithdrawalDestinations } from '../addresses/withdrawal-destinations';
import { FeeEstimateUnavailableError } from './fee-estimate.errors';
import { BitcoinRpcClient } from '../node/bitcoin-rpc.client';
import { withdrawalVsize } from './tx-size';

export interface WithdrawalFeeEstimate {
  feeSats: bigint;
  feeRateSatPerKvB: bigint;
  confTarget: number;
  /** false: Core had no estimate and the configured fallback (regtest) or floor rate was used. */
  estimated: boolean;
}

/** The fee-estimate check of the gateway's readiness: a warning while Core has no estimate, with what is done instead. */
export interface FeeEstimateStatus {
  estimated: boolean;
  warning?: string;
}

/** The fee a withdrawal to `address` would pay now, at Core's `estimatesmartfee` rate (or the fallback rate). */
@Injectable()
export class WithdrawalFeeEstimator {
  private readonly logger = new Logger(WithdrawalFeeEstimator.name);

  constructor(
    private readonly rpc: BitcoinRpcClient,
    private readonly destinations: WithdrawalDestinations,
    @Inject(BITCOIN_MODULE_OPTIONS) private readonly options: BitcoinModuleOptions,
  ) {}

  async estimate(input: { address: string; amountSats: bigint; confTarget?: number }): Promise<WithdrawalFeeEstimate> {
    const destination = this.destinations.check(input.address.trim());
    if (!destination.valid) {
      throw new ProblemException(400, 'invalid-address', `Bitro does not send to this address: ${destination.message}.`, {
        errors: [{ in: 'body', pointer: '/address', message: `${destination.reason}: ${destination.message}` }],
      });
    }
    if (input.amountSats > MAX_MONEY_SATS) {
      throw new ProblemException(400, 'validation', 'The amount exceeds 21 million BTC.', {
        errors: [{ in: 'body', pointer: '/amountSats', message: 'must not exceed 2100000000000000' }],
      });
    }
    const rate = await this.feeRate(input.confTarget);
    const vsize = BigInt(withdrawalVsize(destination.scriptPubKeyHex.length / 2));
    // Core's CFeeRate::GetFee rounds up.
    return { ...rate, feeSats: (rate.feeRateSatPerKvB * vsize + 999n) / 1000n };
  }

  /**
   * The fee rate for a transaction sent now: Core's `estimatesmartfee` for the target; without an estimate, the
   * no-estimate policy: the fallback rate (regtest only), the floor rate, or {@link FeeEstimateUnavailableError}.
   */
  async feeRate(confTarget?: number): Promise<Omit<WithdrawalFeeEstimate, 'feeSats'>> {
    const fees = this.options.fees ?? DEFAULT_FEE_OPTIONS;
    const requestedTarget = confTarget ?? fees.confTarget;
    const smart = await this.rpc.estimateSmartFee(requestedTarget);
    if (smart.feeRateSatPerKvB !== undefined) {
      return { feeRateSatPerKvB: smart.feeRateSatPerKvB, confTarget: smart.blocks > 0 ? smart.blocks : requestedTarget, estimated: true };
    }
    const why = `estimatesmartfee ${requestedTarget}: ${smart.errors.join('; ') || 'no estimate'}`;
    const policy = this.noEstimatePolicy();
    if (policy.policy === 'refuse') throw new FeeEstimateUnavailableError(why);
    this.logger.warn(`${why}; paying the ${policy.policy} rate of ${policy.satPerVb} sat/vB`);
    return { feeRateSatPerKvB: BigInt(policy.satPerVb) * 1000n, confTarget: requestedTarget, estimated: false };
  }

  /** For readiness: whether Core estimates fees now, and if not what withdrawals do meanwhile. */
  async status(): Promise<FeeEstimateStatus> {
    const fees = this.options.fees ?? DEFAULT_FEE_OPTIONS;
    const smart = await this.rpc.estimateSmartFee(fees.confTarget);
    if (smart.feeRateSatPerKvB !== undefined) return { estimated: true };
    const policy = this.noEstimatePolicy();
    const instead =
      policy.policy === 'refuse' ? 'new withdrawals are refused until it has one' : `withdrawals pay the ${policy.policy} rate of ${policy.satPerVb} sat/vB`;
    return { estimated: false, warning: `the node has no fee estimate (${smart.errors.join('; ') || 'no estimate'}): ${instead}` };
  }

  /** The regtest fallback is never used on another chain: there a missing estimate is refused. */
  private noEstimatePolicy(): NoEstimatePolicy {
    const policy = this.options.fees?.noEstimate ?? (this.options.network === 'regtest' ? REGTEST_FALLBACK : DEFAULT_FEE_OPTIONS.noEstimate);
    return policy.policy === 'fallback' && this.options.network !== 'regtest' ? { policy: 'refuse' } : policy;
  }
}

const REGTEST_FALLBACK: NoEstimatePolicy = { policy: 'fallback', satPerVb: 10 };
