import { Body, Controller } from '@nestjs/common';
import { type estimateWithdrawalFeeRoute, type InternalRouteBody, type InternalRouteResponse } from '@bitro/gateway-contract';
import { Route } from '@bitro/http';
import { feeRoutes } from './fees.contracts';
import { WithdrawalFeeEstimator } from './withdrawal-fee.estimator';

@Controller()
export class FeesController {
  constructor(private readonly estimator: WithdrawalFeeEstimator) {}

  @Route(feeRoutes.estimate)
  async estimate(@Body() body: InternalRouteBody<typeof estimateWithdrawalFeeRoute>): Promise<InternalRouteResponse<typeof estimateWithdrawalFeeRoute>> {
    const estimate = await this.estimator.estimate({ address: body.address, amountSats: BigInt(body.amountSats), confTarget: body.confTarget });
    return { feeSats: estimate.feeSats.toString(), feeRateSatPerKvB: estimate.feeRateSatPerKvB.toString(), confTarget: estimate.confTarget };
  }
}
