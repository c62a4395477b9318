import { Module } from '@nestjs/common';
import { WALLET_API, WALLET_OPS_API } from '@bitro/service-api';
import { WalletEventSubscriber } from './events/wallet-event.subscriber';
import { KrwEstimator } from './http/krw-estimator';
import { WalletController } from './http/wallet.controller';
import { LedgerHistory } from './ledger/ledger-history';
import { LedgerVerifier } from './ledger/ledger-verifier';
import { LedgerService } from './ledger/ledger.service';
import { WalletPrisma } from './persistence/wallet-prisma';
import { WalletApiService } from './wallet-api.service';

/**
 * The wallet domain (double-entry ledger in satoshis). Other domains use it only through `WALLET_API`
 * (and operators through `WALLET_OPS_API`); it credits approved redemptions from their events, so the
 * application must import MessagingModule and PriceFeedModule (both global).
 */
@Module({
  controllers: [WalletController],
  providers: [
    WalletPrisma,
    LedgerService,
    LedgerHistory,
    KrwEstimator,
    WalletEventSubscriber,
    { provide: WALLET_API, useClass: WalletApiService },
    { provide: WALLET_OPS_API, useClass: LedgerVerifier },
  ],
  exports: [WALLET_API, WALLET_OPS_API],
})
export class WalletModule {}
