import { Injectable } from '@nestjs/common';
import type { DriftList, ReconciliationPageQuery, RedemptionCreditJournal, WalletReconciliationApi } from '@bitro/service-api';
import { DepositDrift } from '../features/reconciliation/deposit-drift';
import { RedemptionCreditJournals } from '../features/reconciliation/redemption-credit-journals';
import { WithdrawalDrift } from '../features/reconciliation/withdrawal-drift';

/** The wallet domain's implementation of {@link WalletReconciliationApi}: read-only views of its tables for the reconciliation check. */
@Injectable()
export class WalletReconciliationApiService implements WalletReconciliationApi {
  constructor(
    private readonly credits: RedemptionCreditJournals,
    private readonly deposits: DepositDrift,
    private readonly withdrawals: WithdrawalDrift,
  ) {}

  redemptionCredits(query: ReconciliationPageQuery): Promise<RedemptionCreditJournal[]> {
    return this.credits.page(query);
  }

  findRedemptionCredits(redemptionIds: readonly string[]): Promise<RedemptionCreditJournal[]> {
    return this.credits.find(redemptionIds);
  }

  depositDrift(input: { since: Date | null; limit: number }): Promise<DriftList> {
    return this.deposits.find(input);
  }

  withdrawalDrift(input: { since: Date | null; limit: number }): Promise<DriftList> {
    return this.withdrawals.find(input);
  }
}
