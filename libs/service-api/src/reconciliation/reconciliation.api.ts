import type { ReconcileOptions, ReconciliationReport } from './reconciliation.contracts';

/**
 * The cross-domain reconciliation check (redemptions ↔ wallet credits, deposits, withdrawals ↔ holds, incomplete
 * publications); inject with {@link RECONCILIATION_API}. Every run stores its report as the latest one.
 */
export interface ReconciliationApi {
  reconcile(options?: ReconcileOptions): Promise<ReconciliationReport>;
  /** The report of the latest run, or null before the first one. */
  latest(): Promise<ReconciliationReport | null>;
}

export const RECONCILIATION_API = Symbol.for('bitro.ReconciliationApi');
