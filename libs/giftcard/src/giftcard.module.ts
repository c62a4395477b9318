import { Module } from '@nestjs/common';
import { GIFTCARD_RECONCILIATION_API } from '@bitro/service-api';
import { GiftcardReconciliationApiService } from './api/giftcard-reconciliation-api.service';
import { GiftcardConsumer } from './events/giftcard.consumer';
import { Catalogue } from './features/catalogue/catalogue';
import { CatalogueController } from './features/catalogue/catalogue.controller';
import { DailyLimit } from './features/redemptions/daily-limit';
import { IdempotencyRetention } from './features/redemptions/idempotency-retention';
import { IdempotencyRetentionSchedule } from './features/redemptions/idempotency-retention.schedule';
import { issuerProvider } from './features/redemptions/issuer/issuer.provider';
import { PinVault } from './features/redemptions/pin-vault';
import { RedemptionApprovedPublisher } from './features/redemptions/redemption-approved.publisher';
import { RedemptionCrediting } from './features/redemptions/redemption-crediting';
import { RedemptionHistory } from './features/redemptions/redemption-history';
import { RedemptionProcessor } from './features/redemptions/redemption-processor';
import { RedemptionRequests } from './features/redemptions/redemption-requests';
import { RedemptionRetry } from './features/redemptions/redemption-retry';
import { RedemptionRetrySchedule } from './features/redemptions/redemption-retry.schedule';
import { RedemptionsController } from './features/redemptions/redemptions.controller';
import { DailyReview } from './features/review/daily-review';
import { RedemptionReview } from './features/review/redemption-review';
import { RedemptionReviewAdminController } from './features/review/review-admin.controller';
import { GiftcardPrisma } from './persistence/giftcard-prisma';
import { IdempotencyKeys } from './persistence/idempotency-keys';

/**
 * The gift-card domain: the brand catalogue, PIN redemptions and the admins' review of flagged ones (Postgres schema
 * `giftcard`). It tells the wallet to credit through `giftcard.redemption-approved.v1` and learns of the credit from
 * `wallet.credited.v1`. Needs the global ConfigModule, DbModule, AuthModule, MessagingModule and PriceFeedModule,
 * USER_API and AUDIT_API; provides GIFTCARD_RECONCILIATION_API.
 */
@Module({
  controllers: [CatalogueController, RedemptionsController, RedemptionReviewAdminController],
  providers: [
    GiftcardPrisma,
    IdempotencyKeys,
    issuerProvider,
    Catalogue,
    PinVault,
    DailyLimit,
    DailyReview,
    RedemptionApprovedPublisher,
    RedemptionProcessor,
    RedemptionRequests,
    RedemptionHistory,
    RedemptionCrediting,
    RedemptionRetry,
    RedemptionRetrySchedule,
    IdempotencyRetention,
    IdempotencyRetentionSchedule,
    RedemptionReview,
    GiftcardConsumer,
    { provide: GIFTCARD_RECONCILIATION_API, useClass: GiftcardReconciliationApiService },
  ],
  exports: [GIFTCARD_RECONCILIATION_API],
})
export class GiftcardModule {}
