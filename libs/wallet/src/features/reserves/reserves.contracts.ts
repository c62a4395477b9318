import { acknowledgeReservesRoute, reservesReportRoute } from '@bitro/gateway-contract';
import { defineRoute } from '@bitro/http';
import { z } from 'zod';

export const reservesReportQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(20) });

export const getReservesRoute = defineRoute({
  method: 'GET',
  path: '/v1/admin/reserves',
  tag: 'admin',
  summary: "Chain ↔ records: what bitcoin-gateway's wallet holds against what its records say, the latest checks and whether payouts are paused",
  access: 'admin',
  query: reservesReportQuery,
  responses: {
    200: {
      description:
        'Newest check first. A `mismatch` (difference beyond the tolerance) pauses automatic payouts (`paused`) until acknowledged; `unsettled` checks judged nothing (a payout or anchor was in doubt).',
      schema: reservesReportRoute.response,
    },
  },
  problems: { 503: { types: ['gateway-unavailable'], description: 'bitcoin-gateway cannot answer now.' } },
});

export const acknowledgeReservesAdminRoute = defineRoute({
  method: 'POST',
  path: '/v1/admin/reserves/acknowledge',
  tag: 'admin',
  summary: 'Acknowledge the open reserves mismatches: automatic payouts resume, the difference becomes an adjustment of the records (audited as reserves.acknowledge)',
  access: 'admin',
  body: z
    .strictObject({ note: acknowledgeReservesRoute.body.shape.note.describe('What the difference is (a top-up, a sweep to cold storage, a loss...).') })
    .meta({ examples: [{ note: 'Top-up of 0.5 BTC from cold storage, ticket OPS-212.' }] }),
  responses: { 200: { description: 'What was acknowledged; `acknowledgedChecks` 0 when nothing was open.', schema: acknowledgeReservesRoute.response } },
  problems: { 503: { types: ['gateway-unavailable'], description: 'bitcoin-gateway cannot answer now; nothing was acknowledged.' } },
});
