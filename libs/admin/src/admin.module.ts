import { Module } from '@nestjs/common';
import { RECONCILIATION_API } from '@bitro/service-api';
import { DeadLettersController } from './dead-letters/dead-letters.controller';
import { AdminPrisma } from './persistence/admin-prisma';
import { PublicationDrift } from './reconciliation/publication-drift';
import { Reconciler } from './reconciliation/reconciler';
import { ReconciliationController } from './reconciliation/reconciliation.controller';
import { ReconciliationJob } from './reconciliation/reconciliation.job';
import { ReconciliationReports } from './reconciliation/reconciliation-reports';
import { RedemptionReconciliation } from './reconciliation/redemption-reconciliation';

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
    Reconciler,
    { provide: RECONCILIATION_API, useExisting: Reconciler },
    ReconciliationJob,
  ],
  exports: [RECONCILIATION_API],
})
export class AdminModule {}
