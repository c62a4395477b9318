import { Module } from '@nestjs/common';
import { WALLET_ADMIN_API, WALLET_API, WALLET_OPS_API, WALLET_RECONCILIATION_API } from '@bitro/service-api';
import { DepositEvents } from './deposits/deposit-events';
import { DepositHistory } from './deposits/deposit-history';
import { WalletEventSubscriber } from './events/wallet-event.subscriber';
import { WalletGateway } from './gateway/wallet-gateway';
import { DepositController } from './http/deposit.controller';
import { KrwEstimator } from './http/krw-estimator';
import { WalletController } from './http/wallet.controller';
import { WithdrawalController } from './http/withdrawal.controller';
import { JournalAnnouncer } from './ledger/journal-announcer';
import { LedgerHistory } from './ledger/ledger-history';
import { LedgerVerifier } from './ledger/ledger-verifier';
import { LedgerService } from './ledger/ledger.service';
import { WalletPrisma } from './persistence/wallet-prisma';
import { DepositDrift } from './reconciliation/deposit-drift';
import { RedemptionCreditJournals } from './reconciliation/redemption-credit-journals';
import { WalletReconciliationService } from './reconciliation/wallet-reconciliation.service';
import { WithdrawalDrift } from './reconciliation/withdrawal-drift';
import { RedemptionCredit } from './redemptions/redemption-credit';
import { WalletAdminApiService } from './wallet-admin-api.service';
import { WalletApiService } from './wallet-api.service';
import { WalletOpsService } from './wallet-ops.service';
import { WithdrawalEvents } from './withdrawals/withdrawal-events';
import { WithdrawalFeeBumps } from './withdrawals/withdrawal-fee-bumps';
import { WithdrawalHistory } from './withdrawals/withdrawal-history';
import { WithdrawalRequests } from './withdrawals/withdrawal-requests';
import { WithdrawalReview } from './withdrawals/withdrawal-review';

/**
 * The wallet domain (double-entry ledger in satoshis). Other domains use it only through `WALLET_API`
 * (operators through `WALLET_OPS_API`, the admin back office through `WALLET_ADMIN_API`). It credits approved
 * redemptions from their events, follows bitcoin-gateway's deposit and withdrawal events, and calls the gateway's
 * internal API (GATEWAY_URL), so the application must import MessagingModule and PriceFeedModule (both global) and
 * provide USER_API (frozen users cannot withdraw) and AUDIT_API (admin decisions are audited).
 */
@Module({
  controllers: [WalletController, DepositController, WithdrawalController],
  providers: [
    WalletPrisma,
    LedgerService,
    LedgerHistory,
    KrwEstimator,
    WalletGateway,
    RedemptionCredit,
    DepositEvents,
    DepositHistory,
    WithdrawalEvents,
    WithdrawalHistory,
    WithdrawalRequests,
    WithdrawalReview,
    WithdrawalFeeBumps,
    WalletEventSubscriber,
    { provide: WALLET_API, useClass: WalletApiService },
    LedgerVerifier,
    JournalAnnouncer,
    { provide: WALLET_OPS_API, useClass: WalletOpsService },
    { provide: WALLET_ADMIN_API, useClass: WalletAdminApiService },
    RedemptionCreditJournals,
    DepositDrift,
    WithdrawalDrift,
    { provide: WALLET_RECONCILIATION_API, useClass: WalletReconciliationService },
  ],
  exports: [WALLET_API, WALLET_OPS_API, WALLET_ADMIN_API, WALLET_RECONCILIATION_API],
})
export class WalletModule {}
