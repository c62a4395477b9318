import { Body, Controller, Inject, Param, Query } from '@nestjs/common';
import { type AccessClaims, Principal } from '@bitro/auth';
import { type BodyOf, type ParamsOf, ProblemException, type QueryOf, Route } from '@bitro/http';
import {
  type AdminWithdrawal,
  WALLET_ADMIN_API,
  type WalletAdminApi,
  type WithdrawalFeeBump,
  WithdrawalFeeBumpRefusedError,
  WithdrawalNotAwaitingApprovalError,
  WithdrawalNotFoundError,
} from '@bitro/service-api';
import { reviewProblem } from '../review/review-problems';
import { approveWithdrawalRoute, bumpFeeRoute, listAwaitingApprovalRoute, rejectWithdrawalRoute } from './withdrawal-admin.contracts';

/** Withdrawals above the approval threshold (approve or reject), and fee bumps of stuck ones. The wallet audits each action. */
@Controller()
export class WithdrawalsController {
  constructor(@Inject(WALLET_ADMIN_API) private readonly wallet: WalletAdminApi) {}

  @Route(listAwaitingApprovalRoute)
  list(@Query() query: QueryOf<typeof listAwaitingApprovalRoute>) {
    return answer(() => this.wallet.listAwaitingApproval(query));
  }

  @Route(approveWithdrawalRoute)
  approve(@Param() params: ParamsOf<typeof approveWithdrawalRoute>, @Principal() admin: AccessClaims): Promise<AdminWithdrawal> {
    return answer(() => this.wallet.approve({ withdrawalId: params.id, actorId: admin.sub }));
  }

  @Route(rejectWithdrawalRoute)
  reject(@Param() params: ParamsOf<typeof rejectWithdrawalRoute>, @Body() body: BodyOf<typeof rejectWithdrawalRoute>, @Principal() admin: AccessClaims): Promise<AdminWithdrawal> {
    return answer(() => this.wallet.reject({ withdrawalId: params.id, actorId: admin.sub, reason: body.reason }));
  }

  @Route(bumpFeeRoute)
  bumpFee(@Param() params: ParamsOf<typeof bumpFeeRoute>, @Body() body: BodyOf<typeof bumpFeeRoute>, @Principal() admin: AccessClaims): Promise<WithdrawalFeeBump> {
    return answer(() => this.wallet.bumpFee({ withdrawalId: params.id, actorId: admin.sub, feeRateSatPerVb: body.feeRateSatPerVb }));
  }
}

/** The wallet's answer, or the problem its error stands for. */
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
  return reviewProblem(error, 'withdrawal') ?? error;
}
