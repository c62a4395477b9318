import { Inject, Injectable, Logger } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import {
  DRIFT_LIST_LIMIT,
  RECONCILIATION_CATEGORIES,
  type ReconcileOptions,
  type ReconciliationReport,
  WALLET_RECONCILIATION_API,
  type WalletReconciliationApi,
} from '@bitro/service-api';
import { PublicationDrift } from './publication-drift';
import { ReconciliationReports } from './reconciliation-reports';
import { RedemptionReconciliation } from './redemption-reconciliation';

/**
 * One run of the cross-domain check (ADR 20). Each domain reads only its own tables through its
 * reconciliation API; the report is logged (error level when something drifted) and kept as the latest.
 */
@Injectable()
export class Reconciliation {
  private readonly logger = new Logger('reconciliation');

  constructor(
    private readonly redemptions: RedemptionReconciliation,
    private readonly publications: PublicationDrift,
    private readonly reports: ReconciliationReports,
    @Inject(WALLET_RECONCILIATION_API) private readonly wallet: WalletReconciliationApi,
    @Inject(BITRO_ENV) private readonly env: BitroEnv,
  ) {}

  async run(options: ReconcileOptions = {}): Promise<ReconciliationReport> {
    const graceMs = options.graceMs ?? this.env.RECONCILE_GRACE_MINUTES * 60_000;
    const windowMs = options.windowMs === undefined ? this.env.RECONCILE_WINDOW_HOURS * 3_600_000 : options.windowMs;
    const started = new Date();
    const since = windowMs === null ? null : new Date(started.getTime() - windowMs);
    const window = { approvedBefore: new Date(started.getTime() - graceMs), since, until: started };
    const [redemptions, redemptionCredits, deposits, withdrawals, publications] = await Promise.all([
      this.redemptions.redemptions(window),
      this.redemptions.credits(window),
      this.wallet.depositDrift({ since, limit: DRIFT_LIST_LIMIT }),
      this.wallet.withdrawalDrift({ since, limit: DRIFT_LIST_LIMIT }),
      this.publications.find(graceMs, started),
    ]);
    const categories = { redemptions, redemptionCredits, deposits, withdrawals, publications };
    const report: ReconciliationReport = {
      ok: RECONCILIATION_CATEGORIES.every((category) => categories[category].count === 0),
      trigger: options.trigger ?? 'command',
      startedAt: started.toISOString(),
      durationMs: Date.now() - started.getTime(),
      graceSeconds: Math.round(graceMs / 1000),
      windowStart: since?.toISOString() ?? null,
      categories,
    };
    this.log(report);
    await this.reports.save(report);
    return report;
  }

  latest(): Promise<ReconciliationReport | null> {
    return this.reports.latest();
  }

  private log(report: ReconciliationReport): void {
    if (report.ok) {
      this.logger.log(`Reconciliation OK (${report.durationMs} ms)`);
      return;
    }
    const found = RECONCILIATION_CATEGORIES.filter((category) => report.categories[category].count > 0).map((category) => {
      const { count, items } = report.categories[category];
      return `${category}: ${count} (${items.map((item) => `${item.id}: ${item.reason}`).join('; ')})`;
    });
    this.logger.error(`Reconciliation found drift — ${found.join(' | ')}`);
  }
}
