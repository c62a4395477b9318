import { Body, Controller, Inject, Param, Query } from '@nestjs/common';
import { type AccessClaims, Principal } from '@bitro/auth';
import { type BodyOf, type ParamsOf, ProblemException, type QueryOf, Route } from '@bitro/http';
import {
  GIFTCARD_ADMIN_API,
  type GiftcardAdminApi,
  RedemptionNotFlaggedError,
  RedemptionNotFoundError,
  type ReviewedRedemption,
} from '@bitro/service-api';
import { reviewProblem } from '../review/review-problems';
import { approveRedemptionRoute, listFlaggedRedemptionsRoute, rejectRedemptionRoute } from './redemption-review.contracts';

/** Review of redemptions over the daily review amount: their cards are used up, the decision is who gets the value. */
@Controller()
export class RedemptionReviewController {
  constructor(@Inject(GIFTCARD_ADMIN_API) private readonly giftcards: GiftcardAdminApi) {}

  @Route(listFlaggedRedemptionsRoute)
  list(@Query() query: QueryOf<typeof listFlaggedRedemptionsRoute>) {
    return this.giftcards.listFlagged(query);
  }

  @Route(approveRedemptionRoute)
  approve(@Param() params: ParamsOf<typeof approveRedemptionRoute>, @Principal() admin: AccessClaims): Promise<ReviewedRedemption> {
    return this.decide(() => this.giftcards.approve({ redemptionId: params.id, actorId: admin.sub }));
  }

  @Route(rejectRedemptionRoute)
  reject(@Param() params: ParamsOf<typeof rejectRedemptionRoute>, @Body() body: BodyOf<typeof rejectRedemptionRoute>, @Principal() admin: AccessClaims): Promise<ReviewedRedemption> {
    return this.decide(() => this.giftcards.reject({ redemptionId: params.id, actorId: admin.sub, reason: body.reason }));
  }

  private async decide(work: () => Promise<ReviewedRedemption>): Promise<ReviewedRedemption> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof RedemptionNotFoundError) throw new ProblemException(404, 'redemption-not-found', `No redemption has the id ${error.redemptionId}.`);
      if (error instanceof RedemptionNotFlaggedError) throw new ProblemException(409, 'redemption-not-flagged', `${error.message}; only flagged redemptions are reviewed.`);
      throw reviewProblem(error, 'redemption') ?? error;
    }
  }
}
