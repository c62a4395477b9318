import { Controller, Inject, Query } from '@nestjs/common';
import { type QueryOf, Route } from '@bitro/http';
import { RECONCILIATION_API, type ReconciliationApi } from '@bitro/service-api';
import { reconciliationRoute } from './reconciliation.contracts';

/** The REST twin of `npm run reconcile`. */
@Controller()
export class ReconciliationController {
  constructor(@Inject(RECONCILIATION_API) private readonly reconciliation: ReconciliationApi) {}

  @Route(reconciliationRoute)
  async latest(@Query() query: QueryOf<typeof reconciliationRoute>) {
    const report = query.run === 'true' ? await this.reconciliation.reconcile({ trigger: 'admin' }) : await this.reconciliation.latest();
    return { report };
  }
}
