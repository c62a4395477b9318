import { Injectable } from '@nestjs/common';
import type { ReconcileOptions, ReconciliationApi, ReconciliationReport } from '@bitro/service-api';
import { Reconciliation } from '../features/reconciliation/reconciliation';

/** RECONCILIATION_API: runs the cross-domain check on request and gives its latest report. */
@Injectable()
export class ReconciliationApiService implements ReconciliationApi {
  constructor(private readonly reconciliation: Reconciliation) {}

  reconcile(options?: ReconcileOptions): Promise<ReconciliationReport> {
    return this.reconciliation.run(options);
  }

  latest(): Promise<ReconciliationReport | null> {
    return this.reconciliation.latest();
  }
}
