import { Body, Controller, Headers, Param, Query, Res } from '@nestjs/common';
import { type AccessClaims, Principal } from '@bitro/auth';
import { type BodyOf, type ParamsOf, type QueryOf, Route } from '@bitro/http';
import { sendAnswer } from '@bitro/idempotency';
import type { FastifyReply } from 'fastify';
import { WithdrawalHistory } from './withdrawal-history';
import { WithdrawalRequests } from './withdrawal-requests';
import { getWithdrawalRoute, listWithdrawalsRoute, requestWithdrawalRoute, type WithdrawalView } from './withdrawals.contracts';

/** The user's withdrawals: a request (Idempotency-Key), one, a page. */
@Controller()
export class WithdrawalsController {
  constructor(
    private readonly requests: WithdrawalRequests,
    private readonly history: WithdrawalHistory,
  ) {}

  /** 202 for a new withdrawal; a retry under the same key gets the first answer again, with `Idempotent-Replayed: true`. */
  @Route(requestWithdrawalRoute)
  async request(
    @Principal() principal: AccessClaims,
    @Headers('idempotency-key') idempotencyKey: unknown,
    @Headers('totp-code') totpCode: string | undefined,
    @Body() body: BodyOf<typeof requestWithdrawalRoute>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WithdrawalView> {
    const result = await this.requests.request(principal.sub, idempotencyKey, body, typeof totpCode === 'string' ? totpCode.trim() : undefined);
    return sendAnswer<WithdrawalView>(result, reply);
  }

  @Route(getWithdrawalRoute)
  get(@Principal() principal: AccessClaims, @Param() params: ParamsOf<typeof getWithdrawalRoute>): Promise<WithdrawalView> {
    return this.history.get(principal.sub, params.id);
  }

  @Route(listWithdrawalsRoute)
  list(@Principal() principal: AccessClaims, @Query() query: QueryOf<typeof listWithdrawalsRoute>): Promise<{ items: WithdrawalView[]; nextCursor: string | null }> {
    return this.history.list(principal.sub, query);
  }
}
