import { Injectable } from '@nestjs/common';
import type { DriftList, ReconciliationPageQuery, RedemptionCreditJournal, WalletReconciliationApi } from '@bitro/service-api';
import { DepositDrift } from './deposit-drift';
import { RedemptionCreditJournals } from './redemption-credit-journals';
import { WithdrawalDrift } from './withdrawal-drift';

/** WALLET_RECONCILIATION_API: read-only views of the wallet's tables for the reconciliation check. */
@Injectable()
export class WalletReconciliationService implements WalletReconciliationApi {
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
