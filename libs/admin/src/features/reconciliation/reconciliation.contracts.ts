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
      schema: z.object({ report: reconciliationReportSchema.nullable() }).meta({
        examples: [
          {
            report: {
              ok: false,
              trigger: 'schedule',
              startedAt: '2026-12-05T06:00:00.021Z',
              durationMs: 412,
              graceSeconds: 900,
              windowStart: '2026-12-04T06:00:00.021Z',
              categories: {
                redemptions: { count: 1, items: [{ id: '0d2c6f4e-7a1b-4c3d-9e8f-1a2b3c4d5e6f', reason: 'approved 1832 s ago and still verified' }] },
                redemptionCredits: { count: 0, items: [] },
                deposits: { count: 0, items: [] },
                withdrawals: { count: 0, items: [] },
                publications: { count: 0, items: [] },
              },
            },
          },
        ],
      }),
    },
  },
});
