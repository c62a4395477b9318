import { Module } from '@nestjs/common';
import { GIFTCARD_ADMIN_API, GIFTCARD_RECONCILIATION_API } from '@bitro/service-api';
import { BrandsController } from './catalogue/brands.controller';
import { CatalogueService } from './catalogue/catalogue.service';
import { WalletCreditedSubscriber } from './events/wallet-credited.subscriber';
import { IdempotencyRetention } from './idempotency/idempotency-retention';
import { IdempotencyRetentionJob } from './idempotency/idempotency-retention.job';
import { IdempotencyStore } from './idempotency/idempotency.store';
import { issuerProvider } from './issuer/issuer.provider';
import { GiftcardPrisma } from './persistence/giftcard-prisma';
import { PinVault } from './pin/pin-vault';
import { GiftcardReconciliationService } from './reconciliation/giftcard-reconciliation.service';
import { DailyLimit } from './redemption/daily-limit';
import { RedemptionController } from './redemption/redemption.controller';
import { RedemptionProcessor } from './redemption/redemption.processor';
import { RedemptionService } from './redemption/redemption.service';
import { PendingRedemptions } from './retry/pending-redemptions';
import { DailyReview } from './review/daily-review';
import { RedemptionReviewService } from './review/redemption-review.service';
import { RedemptionRetryJob } from './retry/redemption-retry.job';

/**
 * The gift-card domain: the brand catalogue and PIN redemptions (Postgres schema `giftcard`). It tells
 * the wallet to credit through `giftcard.redemption-approved.v1` and learns of the credit from
 * `wallet.credited.v1`. Redemptions over the daily review amount wait for an admin (`GIFTCARD_ADMIN_API`).
 * Needs the global ConfigModule, DbModule, AuthModule, MessagingModule and PriceFeedModule, USER_API and AUDIT_API.
 */
@Module({
  controllers: [BrandsController, RedemptionController],
  providers: [
    GiftcardPrisma,
    issuerProvider,
    CatalogueService,
    PinVault,
    IdempotencyStore,
    DailyLimit,
    DailyReview,
    RedemptionProcessor,
    RedemptionService,
    PendingRedemptions,
    RedemptionRetryJob,
    WalletCreditedSubscriber,
    IdempotencyRetention,
    IdempotencyRetentionJob,
    { provide: GIFTCARD_ADMIN_API, useClass: RedemptionReviewService },
    { provide: GIFTCARD_RECONCILIATION_API, useClass: GiftcardReconciliationService },
  ],
  exports: [GIFTCARD_ADMIN_API, GIFTCARD_RECONCILIATION_API],
})
export class GiftcardModule {}
