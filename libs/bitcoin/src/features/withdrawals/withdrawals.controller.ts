import { Body, Controller } from '@nestjs/common';
import { type bumpWithdrawalFeeRoute, type FeeBumpRefusalReason, type InternalRouteBody, type InternalRouteResponse } from '@bitro/gateway-contract';
import { ProblemException, Route } from '@bitro/http';
import { FeeBumpRefusedError } from './fee-bump.errors';
import { WithdrawalFeeBumper } from './withdrawal-fee-bumper';
import { withdrawalRoutes } from './withdrawals.contracts';

@Controller()
export class WithdrawalsController {
  constructor(private readonly bumper: WithdrawalFeeBumper) {}

  @Route(withdrawalRoutes.bumpFee)
  async bump(@Body() body: InternalRouteBody<typeof bumpWithdrawalFeeRoute>): Promise<InternalRouteResponse<typeof bumpWithdrawalFeeRoute>> {
    try {
      const result = await this.bumper.bump(body.withdrawalId, body.feeRateSatPerVb);
      return { ...result, feeSats: result.feeSats.toString() };
    } catch (error) {
      if (!(error instanceof FeeBumpRefusedError)) throw error;
      // The contract's reasons are the bumper's: this assignment stops compiling if they drift apart.
      const reason: FeeBumpRefusalReason = error.reason;
      throw new ProblemException(reason === 'invalid-fee-rate' ? 422 : 409, reason, error.message);
    }
  }
}
