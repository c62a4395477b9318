import { Body, Controller } from '@nestjs/common';
import { WithdrawalFeeEstimator } from '@bitro/bitcoin';
import { estimateWithdrawalFeeRoute, type InternalRouteBody, type InternalRouteResponse } from '@bitro/gateway-contract';
import { Route } from '@bitro/http';
import { internalRoute } from '../internal-api/internal-route';

@Controller()
export class WithdrawalFeeController {
  constructor(private readonly estimator: WithdrawalFeeEstimator) {}

  @Route(internalRoute(estimateWithdrawalFeeRoute, 'The network fee a withdrawal (1 P2WPKH input, destination + change output) would pay now.'))
  async estimate(@Body() body: InternalRouteBody<typeof estimateWithdrawalFeeRoute>): Promise<InternalRouteResponse<typeof estimateWithdrawalFeeRoute>> {
    const estimate = await this.estimator.estimate({ address: body.address, amountSats: BigInt(body.amountSats), confTarget: body.confTarget });
    return { feeSats: estimate.feeSats.toString(), feeRateSatPerKvB: estimate.feeRateSatPerKvB.toString(), confTarget: estimate.confTarget };
  }
}
