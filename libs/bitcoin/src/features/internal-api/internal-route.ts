import type { InternalRoute } from '@bitro/gateway-contract';
import { defineRoute, type ProblemContract, type RouteContract } from '@bitro/http';

/**
 * An internal route of libs/gateway-contract as an @bitro/http route contract, so the shared interceptor validates
 * the body and shapes the answer. `access: 'public'` only means "no user token": the signature guard admits callers.
 */
export function internalRoute(route: InternalRoute, summary: string, refusals: Record<number, ProblemContract> = {}): RouteContract {
  return defineRoute({
    method: route.method,
    path: route.path,
    summary,
    tag: 'internal',
    access: 'public',
    body: route.body,
    responses: { 200: { description: summary, schema: route.response } },
    problems: {
      401: {
        types: ['missing-signature', 'missing-timestamp', 'malformed-signature', 'malformed-timestamp', 'stale-timestamp', 'future-timestamp', 'bad-signature'],
        description: 'Missing, stale or bad request signature.',
      },
      503: { types: ['bitcoin-node-unavailable', 'fee-estimate-unavailable'], description: 'The Bitcoin node cannot answer now, or has no fee estimate.' },
      ...refusals,
    },
  });
}
