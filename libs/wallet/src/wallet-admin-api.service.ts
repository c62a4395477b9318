import { Injectable } from '@nestjs/common';
import type { AdminWithdrawal, WalletAdminApi, WithdrawalFeeBump } from '@bitro/service-api';
import { WithdrawalFeeBumps } from './withdrawals/withdrawal-fee-bumps';
import { WithdrawalReview } from './withdrawals/withdrawal-review';

/** The wallet domain's implementation of {@link WalletAdminApi}. */
@Injectable()
export class WalletAdminApiService implements WalletAdminApi {
  constructor(
    private readonly review: WithdrawalReview,
    private readonly feeBumps: WithdrawalFeeBumps,
  ) {}

  listAwaitingApproval(query: { limit: number; cursor?: string }): Promise<{ items: AdminWithdrawal[]; nextCursor: string | null }> {
    return this.review.awaitingApproval(query);
  }

  approve(input: { withdrawalId: string; actorId: string }): Promise<AdminWithdrawal> {
    return this.review.approve(input.withdrawalId, input.actorId);
  }

  reject(input: { withdrawalId: string; actorId: string; reason: string }): Promise<AdminWithdrawal> {
    return this.review.reject(input.withdrawalId, input.actorId, input.reason);
  }

  bumpFee(input: { withdrawalId: string; actorId: string; feeRateSatPerVb: string }): Promise<WithdrawalFeeBump> {
    return this.feeBumps.bump(input.withdrawalId, input.actorId, input.feeRateSatPerVb);
  }
}
