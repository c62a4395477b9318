import { Body, Controller } from '@nestjs/common';
import { FeeBumpRefusedError, WithdrawalFeeBumper } from '@bitro/bitcoin';
import { bumpWithdrawalFeeRoute, type FeeBumpRefusalReason, type InternalRouteBody, type InternalRouteResponse } from '@bitro/gateway-contract';
import { ProblemException, Route } from '@bitro/http';
import { internalRoute } from '../internal-api/internal-route';

const SUMMARY = 'RBF: replace the unconfirmed transaction of a broadcast withdrawal by one paying a higher fee rate (the REST twin of withdrawals:bump-fee).';

@Controller()
export class WithdrawalFeeBumpController {
  constructor(private readonly bumper: WithdrawalFeeBumper) {}

  @Route(
    internalRoute(bumpWithdrawalFeeRoute, SUMMARY, {
      409: 'Refused, nothing stored: the problem type names the reason (not-broadcast, already-confirmed, fee-rate-not-higher, exceeds-max-fee, ...).',
      422: 'invalid-fee-rate',
    }),
  )
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
