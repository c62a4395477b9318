import type { FastifyInstance, FastifyReply, FastifyRequest, onResponseHookHandler } from 'fastify';
import { Histogram } from 'prom-client';
import { processRegistry } from './process-registry';

const NAME = 'bitro_http_request_duration_seconds';
const UNMATCHED = 'unmatched';

type Observer = Histogram.Internal<'method' | 'route' | 'status'>;

function histogram(): Histogram<'method' | 'route' | 'status'> {
  const existing = processRegistry.getSingleMetric(NAME);
  if (existing) return existing as Histogram<'method' | 'route' | 'status'>;
  return new Histogram({
    name: NAME,
    help: 'HTTP requests by method, route template (or "unmatched") and status, and how long they took to answer.',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [processRegistry],
  });
}

/**
 * Times every request into {@link NAME}. Each route gets its own onResponse hook (added as Fastify registers it) that
 * knows its template, and keeps the histogram's child per (method, status): a request costs two map lookups and the
 * observe, no label hashing or allocation. What matched no route is timed by one root hook as route "unmatched". Call
 * before the routes are registered (before Nest's `init`).
 */
export function observeHttpRequests(fastify: FastifyInstance): void {
  const requests = histogram();
  fastify.addHook('onRoute', (route) => {
    const hook = timer(requests, route.url);
    const existing = route.onResponse;
    route.onResponse = existing === undefined ? [hook] : [...(Array.isArray(existing) ? existing : [existing]), hook];
  });
  const unmatched = timer(requests, UNMATCHED);
  fastify.addHook('onResponse', function (this: FastifyInstance, request, reply, done) {
    if (!request.is404) return done();
    unmatched.call(this, request, reply, done);
  });
}

function timer(requests: Histogram<'method' | 'route' | 'status'>, route: string): onResponseHookHandler {
  const byMethod = new Map<string, Map<number, Observer>>();
  return function (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply, done: () => void) {
    let byStatus = byMethod.get(request.method);
    if (byStatus === undefined) byMethod.set(request.method, (byStatus = new Map()));
    let observer = byStatus.get(reply.statusCode);
    if (observer === undefined) byStatus.set(reply.statusCode, (observer = requests.labels(request.method, route, String(reply.statusCode))));
    observer.observe(reply.elapsedTime / 1000);
    done();
  } as onResponseHookHandler;
}
