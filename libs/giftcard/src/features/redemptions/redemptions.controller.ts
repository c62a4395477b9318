import { Body, Controller, Headers, Param, Query, Res } from '@nestjs/common';
import { type AccessClaims, Principal } from '@bitro/auth';
import { type BodyOf, type ParamsOf, type QueryOf, Route } from '@bitro/http';
import type { FastifyReply } from 'fastify';
import { toProblemException } from '../idempotency/idempotency.store';
import { getRedemptionRoute, listRedemptionsRoute, redeemRoute, type RedemptionView } from './redemption.contracts';
import { RedemptionService } from './redemption.service';

const REPLAYED = 'idempotent-replayed';

@Controller()
export class RedemptionController {
  constructor(private readonly redemptions: RedemptionService) {}

  @Route(redeemRoute)
  async redeem(
    @Principal() principal: AccessClaims,
    @Headers('idempotency-key') idempotencyKey: unknown,
    @Body() body: BodyOf<typeof redeemRoute>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RedemptionView> {
    const { answer, replayed } = await this.redemptions.redeem(principal.sub, idempotencyKey, body);
    const headers: Record<string, string> = replayed ? { [REPLAYED]: 'true' } : {};
    if (answer.problem) throw toProblemException(answer.status, { ...answer.problem, headers: { ...answer.problem.headers, ...headers } });
    void reply.headers(headers);
    return answer.body as RedemptionView;
  }

  @Route(getRedemptionRoute)
  get(@Principal() principal: AccessClaims, @Param() params: ParamsOf<typeof getRedemptionRoute>): Promise<RedemptionView> {
    return this.redemptions.get(principal.sub, params.id);
  }

  @Route(listRedemptionsRoute)
  list(@Principal() principal: AccessClaims, @Query() query: QueryOf<typeof listRedemptionsRoute>): Promise<{ items: RedemptionView[]; nextCursor: string | null }> {
    return this.redemptions.list(principal.sub, query);
  }
}
