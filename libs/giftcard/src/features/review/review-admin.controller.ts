import { Body, Controller, Param, Query } from '@nestjs/common';
import { type AccessClaims, Principal } from '@bitro/auth';
import { type BodyOf, type ParamsOf, type QueryOf, Route } from '@bitro/http';
import { RedemptionReview } from './redemption-review';
import { approveRedemptionRoute, listFlaggedRedemptionsRoute, rejectRedemptionRoute, type ReviewedRedemption } from './review.contracts';
import { reviewProblem } from './review-problems';

/** Review of redemptions over the daily review amount: their cards are used up, the decision is who gets the value. */
@Controller()
export class RedemptionReviewAdminController {
  constructor(private readonly review: RedemptionReview) {}

  @Route(listFlaggedRedemptionsRoute)
  list(@Query() query: QueryOf<typeof listFlaggedRedemptionsRoute>) {
    return this.review.listFlagged(query);
  }

  @Route(approveRedemptionRoute)
  approve(@Param() params: ParamsOf<typeof approveRedemptionRoute>, @Principal() admin: AccessClaims): Promise<ReviewedRedemption> {
    return this.decide(() => this.review.approve({ redemptionId: params.id, actorId: admin.sub }));
  }

  @Route(rejectRedemptionRoute)
  reject(@Param() params: ParamsOf<typeof rejectRedemptionRoute>, @Body() body: BodyOf<typeof rejectRedemptionRoute>, @Principal() admin: AccessClaims): Promise<ReviewedRedemption> {
    return this.decide(() => this.review.reject({ redemptionId: params.id, actorId: admin.sub, reason: body.reason }));
  }

  private async decide(work: () => Promise<ReviewedRedemption>): Promise<ReviewedRedemption> {
    try {
      return await work();
    } catch (error) {
      throw reviewProblem(error);
    }
  }
}
