import { Inject, Injectable } from '@nestjs/common';
import { MetricsCollector } from '@bitro/metrics';
import { BITCOIN_MODULE_OPTIONS, type BitcoinModuleOptions, DEFAULT_FEE_OPTIONS } from '../../bitcoin-module.options';
import { BitcoinRpcClient } from '../node/bitcoin-rpc.client';

/** Core's fee estimate for the withdrawals' confirmation target; left out of the scrape while Core has none. */
@Injectable()
export class FeeCollector extends MetricsCollector {
  readonly name = 'the fee estimate';
  private readonly estimate = this.gauge({
    name: 'bitro_gateway_fee_estimate_sat_per_vbyte',
    help: "Core's estimatesmartfee rate for the withdrawals' confirmation target, in sat/vB (absent while Core has no estimate).",
  });

  constructor(
    private readonly rpc: BitcoinRpcClient,
    @Inject(BITCOIN_MODULE_OPTIONS) private readonly options: BitcoinModuleOptions,
  ) {
    super();
  }

  async collect(): Promise<void> {
    const smart = await this.rpc.estimateSmartFee((this.options.fees ?? DEFAULT_FEE_OPTIONS).confTarget);
    if (smart.feeRateSatPerKvB === undefined) throw new Error(`no estimate: ${smart.errors.join('; ') || 'none given'}`);
    this.estimate.set(Number(smart.feeRateSatPerKvB) / 1000);
  }
}
