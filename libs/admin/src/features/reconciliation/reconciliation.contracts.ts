import { defineRoute } from '@bitro/http';
import { reconciliationReportSchema } from '@bitro/service-api';
import { z } from 'zod';

export const reconciliationRoute = defineRoute({
  method: 'GET',
  path: '/v1/admin/reconciliation',
  tag: 'admin',
  summary: 'The latest cross-domain reconciliation report (redemptions ↔ credits, deposits, withdrawals ↔ holds, publications)',
  access: 'admin',
  query: z.strictObject({
    /** `true`: run the check now (with the configured grace and window) and answer its report. */
    run: z.enum(['true', 'false']).default('false'),
  }),
  responses: {
    200: {
      description: 'The latest report (`report: null` before the first run). Each category counts what drifted and names the first 100 ids with a reason.',
      schema: z.object({ report: reconciliationReportSchema.nullable() }),
    },
  },
});
