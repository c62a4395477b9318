import { Module } from '@nestjs/common';
import { WALLET_API, WALLET_OPS_API, WALLET_RECONCILIATION_API } from '@bitro/service-api';
import { WalletApiService } from './api/wallet-api.service';
import { WalletOpsApiService } from './api/wallet-ops-api.service';
import { WalletReconciliationApiService } from './api/wallet-reconciliation-api.service';
import { WalletConsumer } from './events/wallet.consumer';
import { BalanceController } from './features/balance/balance.controller';
import { KrwEstimator } from './features/balance/krw-estimator';
import { DepositCrediting } from './features/deposits/deposit-crediting';
import { DepositHistory } from './features/deposits/deposit-history';
import { DepositsController } from './features/deposits/deposits.controller';
import { WalletGateway } from './features/gateway/wallet-gateway';
import { JournalPublisher } from './features/ledger/journal.publisher';
import { LedgerHistory } from './features/ledger/ledger-history';
import { LedgerVerifier } from './features/ledger/ledger-verifier';
import { LedgerService } from './features/ledger/ledger.service';
import { DepositDrift } from './features/reconciliation/deposit-drift';
import { RedemptionCreditJournals } from './features/reconciliation/redemption-credit-journals';
import { WithdrawalDrift } from './features/reconciliation/withdrawal-drift';
import { RedemptionCrediting } from './features/redemption-credit/redemption-crediting';
import { ReservesAdminController } from './features/reserves/reserves-admin.controller';
import { WithdrawalFeeBumps } from './features/withdrawals/withdrawal-fee-bumps';
import { WithdrawalHistory } from './features/withdrawals/withdrawal-history';
import { WithdrawalRequests } from './features/withdrawals/withdrawal-requests';
import { WithdrawalReview } from './features/withdrawals/withdrawal-review';
import { WithdrawalSettlement } from './features/withdrawals/withdrawal-settlement';
import { WithdrawalsAdminController } from './features/withdrawals/withdrawals-admin.controller';
import { WithdrawalsController } from './features/withdrawals/withdrawals.controller';
import { IdempotencyKeys } from './persistence/idempotency-keys';
import { WalletPrisma } from './persistence/wallet-prisma';

/**
 * The wallet domain (double-entry ledger in satoshis): balances, deposits, withdrawals (their admin approval and fee
 * bumps included) and the admin view of bitcoin-gateway's reserves check. Other domains use it only through
 * `WALLET_API` (operators through `WALLET_OPS_API`, reconciliation through `WALLET_RECONCILIATION_API`). It credits
 * approved redemptions from their events, follows bitcoin-gateway's deposit and withdrawal events, and calls the
 * gateway's internal API (GATEWAY_URL), so the application must import MessagingModule and PriceFeedModule (both
 * global) and provide USER_API (frozen users cannot withdraw) and AUDIT_API (admin decisions are audited).
 */
@Module({
  controllers: [BalanceController, DepositsController, WithdrawalsController, WithdrawalsAdminController, ReservesAdminController],
  providers: [
    WalletPrisma,
    IdempotencyKeys,
    LedgerService,
    LedgerHistory,
    LedgerVerifier,
    JournalPublisher,
    KrwEstimator,
    WalletGateway,
    RedemptionCrediting,
    DepositCrediting,
    DepositHistory,
    WithdrawalSettlement,
    WithdrawalHistory,
    WithdrawalRequests,
    WithdrawalReview,
    WithdrawalFeeBumps,
    RedemptionCreditJournals,
    DepositDrift,
    WithdrawalDrift,
    WalletConsumer,
    { provide: WALLET_API, useClass: WalletApiService },
    { provide: WALLET_OPS_API, useClass: WalletOpsApiService },
    { provide: WALLET_RECONCILIATION_API, useClass: WalletReconciliationApiService },
  ],
  exports: [WALLET_API, WALLET_OPS_API, WALLET_RECONCILIATION_API],
})
export class WalletModule {}
