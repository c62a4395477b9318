import { Body, Controller, Param, Query } from '@nestjs/common';
import { type AccessClaims, Principal } from '@bitro/auth';
import { accountNotActive, type BodyOf, type ParamsOf, ProblemException, type QueryOf, Route } from '@bitro/http';
import { OwnRequestReviewError, UserNotActiveError } from '@bitro/service-api';
import { WithdrawalFeeBumpRefusedError, WithdrawalNotAwaitingApprovalError, WithdrawalNotFoundError } from './withdrawal.errors';
import { WithdrawalFeeBumps } from './withdrawal-fee-bumps';
import { WithdrawalReview } from './withdrawal-review';
import {
  type AdminWithdrawal,
  approveWithdrawalRoute,
  bumpFeeRoute,
  listAwaitingApprovalRoute,
  rejectWithdrawalRoute,
  type WithdrawalFeeBump,
} from './withdrawals.contracts';

/** Withdrawals above the approval threshold (approve or reject), and fee bumps of stuck ones. Each action is audited. */
@Controller()
export class WithdrawalsAdminController {
  constructor(
    private readonly review: WithdrawalReview,
    private readonly feeBumps: WithdrawalFeeBumps,
  ) {}

  @Route(listAwaitingApprovalRoute)
  list(@Query() query: QueryOf<typeof listAwaitingApprovalRoute>) {
    return answer(() => this.review.listAwaitingApproval(query));
  }

  @Route(approveWithdrawalRoute)
  approve(@Param() params: ParamsOf<typeof approveWithdrawalRoute>, @Principal() admin: AccessClaims): Promise<AdminWithdrawal> {
    return answer(() => this.review.approve({ withdrawalId: params.id, actorId: admin.sub }));
  }

  @Route(rejectWithdrawalRoute)
  reject(@Param() params: ParamsOf<typeof rejectWithdrawalRoute>, @Body() body: BodyOf<typeof rejectWithdrawalRoute>, @Principal() admin: AccessClaims): Promise<AdminWithdrawal> {
    return answer(() => this.review.reject({ withdrawalId: params.id, actorId: admin.sub, reason: body.reason }));
  }

  @Route(bumpFeeRoute)
  bumpFee(@Param() params: ParamsOf<typeof bumpFeeRoute>, @Body() body: BodyOf<typeof bumpFeeRoute>, @Principal() admin: AccessClaims): Promise<WithdrawalFeeBump> {
    return answer(() => this.feeBumps.bumpFee({ withdrawalId: params.id, actorId: admin.sub, feeRateSatPerVb: body.feeRateSatPerVb }));
  }
}

/** The use case's answer, or the problem its error stands for. */
async function answer<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw problemOf(error);
  }
}

function problemOf(error: unknown): unknown {
  if (error instanceof WithdrawalNotFoundError) return new ProblemException(404, 'withdrawal-not-found', `No withdrawal has the id ${error.withdrawalId}.`);
  if (error instanceof WithdrawalNotAwaitingApprovalError) {
    return new ProblemException(409, 'withdrawal-not-awaiting-approval', `${error.message}; only withdrawals awaiting approval are decided.`);
  }
  if (error instanceof WithdrawalFeeBumpRefusedError) {
    const errors = error.status === 422 ? [{ in: 'body' as const, pointer: '/feeRateSatPerVb', message: error.detail }] : undefined;
    return new ProblemException(error.status, error.reason, `Not bumped (${error.reason}): ${error.detail}`, errors ? { errors } : {});
  }
  if (error instanceof OwnRequestReviewError) {
    return new ProblemException(409, 'own-request', 'This withdrawal is your own request: another admin must decide it.');
  }
  if (error instanceof UserNotActiveError) {
    return accountNotActive(error.reason, { status: 409, detail: `The withdrawal's user is ${error.reason === 'frozen' ? 'frozen' : 'gone'}: it cannot be approved, only rejected.` });
  }
  return error;
}
