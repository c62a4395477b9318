import { Inject, Injectable } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv, MESSAGING_SETTINGS, type MessagingSettings } from '@bitro/config';
import { RepeatingJob } from '@bitro/messaging';
import { Reconciliation } from './reconciliation';

export const RECONCILIATION_QUEUE = 'admin-reconciliation';

/** Runs the reconciliation check every RECONCILE_INTERVAL_MS (one run per tick across replicas). */
@Injectable()
export class ReconciliationSchedule extends RepeatingJob {
  constructor(reconciliation: Reconciliation, @Inject(MESSAGING_SETTINGS) settings: MessagingSettings, @Inject(BITRO_ENV) env: BitroEnv) {
    super(settings, {
      queue: RECONCILIATION_QUEUE,
      schedulerId: 'admin-reconciliation',
      everyMs: env.RECONCILE_INTERVAL_MS,
      label: 'Reconciliation',
      context: 'reconciliation',
      run: () => reconciliation.run({ trigger: 'schedule' }),
    });
  }
}
