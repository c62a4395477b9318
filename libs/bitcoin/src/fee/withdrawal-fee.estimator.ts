import { Inject, Injectable, Logger } from '@nestjs/common';
import { ProblemException } from '@bitro/http';
import { AddressValidator } from '../address/address-validator';
import { MAX_MONEY_SATS } from '../amount';
import { BITCOIN_MODULE_OPTIONS, type BitcoinModuleOptions, DEFAULT_FEE_OPTIONS } from '../bitcoin-module.options';
import { BitcoinRpcClient } from '../rpc/bitcoin-rpc.client';
import { withdrawalVsize } from './tx-size';

export interface WithdrawalFeeEstimate {
  feeSats: bigint;
  feeRateSatPerKvB: bigint;
  confTarget: number;
  /** false: Core had no estimate and the configured fallback rate was used. */
  estimated: boolean;
}

/** The fee a withdrawal to `address` would pay now, at Core's `estimatesmartfee` rate (or the fallback rate). */
@Injectable()
export class WithdrawalFeeEstimator {
  private readonly logger = new Logger(WithdrawalFeeEstimator.name);

  constructor(
    private readonly rpc: BitcoinRpcClient,
    private readonly validator: AddressValidator,
    @Inject(BITCOIN_MODULE_OPTIONS) private readonly options: BitcoinModuleOptions,
  ) {}

  async estimate(input: { address: string; amountSats: bigint; confTarget?: number }): Promise<WithdrawalFeeEstimate> {
    const destination = this.validator.validate(input.address.trim());
    if (!destination.valid) {
      throw new ProblemException(400, 'invalid-address', `The address is not valid on this network: ${destination.message}.`, {
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

  /** The fee rate for a transaction sent now: Core's `estimatesmartfee` for the target, or the configured fallback. */
  async feeRate(confTarget?: number): Promise<Omit<WithdrawalFeeEstimate, 'feeSats'>> {
    const fees = this.options.fees ?? DEFAULT_FEE_OPTIONS;
    const requestedTarget = confTarget ?? fees.confTarget;
    const smart = await this.rpc.estimateSmartFee(requestedTarget);
    const estimated = smart.feeRateSatPerKvB !== undefined;
    const feeRateSatPerKvB = smart.feeRateSatPerKvB ?? BigInt(fees.fallbackSatPerVb) * 1000n;
    if (!estimated) this.logger.warn(`estimatesmartfee ${requestedTarget}: ${smart.errors.join('; ') || 'no estimate'}; using the fallback ${fees.fallbackSatPerVb} sat/vB`);
    return { feeRateSatPerKvB, confTarget: estimated && smart.blocks > 0 ? smart.blocks : requestedTarget, estimated };
  }
}
