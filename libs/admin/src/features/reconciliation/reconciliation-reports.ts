import { Injectable } from '@nestjs/common';
import { type ReconciliationReport, reconciliationReportSchema } from '@bitro/service-api';
import { AdminPrisma } from '../../persistence/admin-prisma';

/** The latest reconciliation report (one row). A run that started earlier never replaces a later one's report. */
@Injectable()
export class ReconciliationReports {
  constructor(private readonly prisma: AdminPrisma) {}

  async save(report: ReconciliationReport): Promise<void> {
    await this.prisma.$executeRaw`
      INSERT INTO "admin"."reconciliation_report" (id, ok, trigger, started_at, report, updated_at)
      VALUES (1, ${report.ok}, ${report.trigger}, ${new Date(report.startedAt)}, ${JSON.stringify(report)}::jsonb, now())
      ON CONFLICT (id) DO UPDATE SET ok = EXCLUDED.ok, trigger = EXCLUDED.trigger, started_at = EXCLUDED.started_at,
        report = EXCLUDED.report, updated_at = now()
      WHERE "reconciliation_report".started_at <= EXCLUDED.started_at`;
  }

  async latest(): Promise<ReconciliationReport | null> {
    const row = await this.prisma.reconciliationReport.findUnique({ where: { id: 1 } });
    return row ? reconciliationReportSchema.parse(row.report) : null;
  }
}
