import { Module } from '@nestjs/common';
import { RECONCILIATION_API } from '@bitro/service-api';
import { ReconciliationApiService } from './api/reconciliation-api.service';
import { DeadLettersController } from './features/dead-letters/dead-letters.controller';
import { PublicationDrift } from './features/reconciliation/publication-drift';
import { Reconciliation } from './features/reconciliation/reconciliation';
import { ReconciliationController } from './features/reconciliation/reconciliation.controller';
import { ReconciliationSchedule } from './features/reconciliation/reconciliation.schedule';
import { ReconciliationReports } from './features/reconciliation/reconciliation-reports';
import { RedemptionReconciliation } from './features/reconciliation/redemption-reconciliation';
import { AdminPrisma } from './persistence/admin-prisma';

/**
 * What spans domains in the admin back office (role `admin` on every route, under /v1/admin): dead-lettered events
 * and the cross-domain reconciliation check (a scheduled job, `RECONCILIATION_API`, its latest report in Postgres
 * schema `admin`). Needs the global MessagingModule and AUDIT_API, GIFTCARD_RECONCILIATION_API,
 * WALLET_RECONCILIATION_API.
 */
@Module({
  controllers: [DeadLettersController, ReconciliationController],
  providers: [
    AdminPrisma,
    RedemptionReconciliation,
    PublicationDrift,
    ReconciliationReports,
    Reconciliation,
    { provide: RECONCILIATION_API, useClass: ReconciliationApiService },
    ReconciliationSchedule,
  ],
  exports: [RECONCILIATION_API],
})
export class AdminModule {}
