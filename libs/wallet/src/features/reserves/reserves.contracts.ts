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
      schema: reservesReportRoute.response.meta({
        examples: [
          {
            toleranceSats: '1000',
            paused: { since: '2026-12-05T06:00:04.118Z', checkId: '4b8d2f6a-0c3e-4a5b-9d7f-1e3a5c7b9d02', differenceSats: '-50000' },
            checks: [
              {
                id: '4b8d2f6a-0c3e-4a5b-9d7f-1e3a5c7b9d02',
                checkedAt: '2026-12-05T06:00:04.118Z',
                tipHeight: 1311,
                status: 'mismatch',
                walletSats: '84950000',
                expectedSats: '85000000',
                differenceSats: '-50000',
                figures: {
                  wallet: { trusted: '84950000', untrustedPending: '0', immature: '0', locked: '0' },
                  expected: { adjustments: '0', deposits: '97500000', pendingDeposits: '0', paidOut: '12480000', payoutFees: '17950', anchorFees: '2050' },
                  differences: { trusted: '-50000', pending: '0', immature: '0', total: '-50000' },
                },
                acknowledgedAt: null,
                acknowledgedBy: null,
              },
            ],
          },
        ],
      }),
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
  responses: { 200: { description: 'What was acknowledged; `acknowledgedChecks` 0 when nothing was open.', schema: acknowledgeReservesRoute.response.meta({ examples: [{ adjustedSats: '-50000', acknowledgedChecks: 1 }] }) } },
  problems: { 503: { types: ['gateway-unavailable'], description: 'bitcoin-gateway cannot answer now; nothing was acknowledged.' } },
});
