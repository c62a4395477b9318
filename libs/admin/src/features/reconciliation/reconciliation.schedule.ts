import { Inject, Injectable } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv, MESSAGING_SETTINGS, type MessagingSettings } from '@bitro/config';
import { RepeatingJob } from '@bitro/messaging';
import { RECONCILIATION_API, type ReconciliationApi } from '@bitro/service-api';

export const RECONCILIATION_QUEUE = 'admin-reconciliation';

/** Runs the reconciliation check (RECONCILIATION_API) every RECONCILE_INTERVAL_MS (one run per tick across replicas). */
@Injectable()
export class ReconciliationSchedule extends RepeatingJob {
  constructor(@Inject(RECONCILIATION_API) reconciliation: ReconciliationApi, @Inject(MESSAGING_SETTINGS) settings: MessagingSettings, @Inject(BITRO_ENV) env: BitroEnv) {
    super(settings, {
      queue: RECONCILIATION_QUEUE,
      schedulerId: 'admin-reconciliation',
      everyMs: env.RECONCILE_INTERVAL_MS,
      label: 'Reconciliation',
      context: 'reconciliation',
      run: () => reconciliation.reconcile({ trigger: 'schedule' }),
    });
  }
}
