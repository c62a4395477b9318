import { Body, Controller, Headers, Param, Query, Res } from '@nestjs/common';
import { type AccessClaims, Principal } from '@bitro/auth';
import { type BodyOf, type ParamsOf, type QueryOf, Route } from '@bitro/http';
import { sendAnswer } from '@bitro/idempotency';
import type { FastifyReply } from 'fastify';
import { RedemptionHistory } from './redemption-history';
import { RedemptionRequests } from './redemption-requests';
import { getRedemptionRoute, listRedemptionsRoute, redeemRoute, type RedemptionView } from './redemptions.contracts';

@Controller()
export class RedemptionsController {
  constructor(
    private readonly requests: RedemptionRequests,
    private readonly history: RedemptionHistory,
  ) {}

  @Route(redeemRoute)
  async redeem(
    @Principal() principal: AccessClaims,
    @Headers('idempotency-key') idempotencyKey: unknown,
    @Body() body: BodyOf<typeof redeemRoute>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RedemptionView> {
    return sendAnswer<RedemptionView>(await this.requests.redeem(principal.sub, idempotencyKey, body), reply);
  }

  @Route(getRedemptionRoute)
  get(@Principal() principal: AccessClaims, @Param() params: ParamsOf<typeof getRedemptionRoute>): Promise<RedemptionView> {
    return this.history.get(principal.sub, params.id);
  }

  @Route(listRedemptionsRoute)
  list(@Principal() principal: AccessClaims, @Query() query: QueryOf<typeof listRedemptionsRoute>): Promise<{ items: RedemptionView[]; nextCursor: string | null }> {
    return this.history.list(principal.sub, query);
  }
}
