import { endSpan, SpanKind, type StartedSpan, startSpan, tracingEnabled, withCorrelationId, withSpan } from '@bitro/tracing';
import type { FastifyReply, FastifyRequest } from 'fastify';

const spans = new WeakMap<FastifyRequest, StartedSpan>();

const header = (request: FastifyRequest, name: string) => {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
};

/** Requests that change nothing, so append no event: while tracing is off they need no correlation id. */
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Runs the rest of a request (`done`: Fastify's next hooks, the handler) under its request id as the correlation id and,
 * while tracing is on, in a server span that continues the caller's `traceparent`. While tracing is off, reads run
 * outside the correlation store: a request inside it pays for every promise it creates (ADR 33).
 */
export function traceRequest(request: FastifyRequest, done: () => void): void {
  if (READS.has(request.method) && !tracingEnabled()) return done();
  withCorrelationId(request.id, () => {
    const started = startSpan(request.method, {
      kind: SpanKind.SERVER,
      parent: { traceparent: header(request, 'traceparent'), tracestate: header(request, 'tracestate') },
      attributes: { 'http.request.method': request.method },
    });
    if (started) spans.set(request, started);
    withSpan(started, done);
  });
}

/** Ends the request's span, named by its route template (`GET /v1/wallet/withdrawals/:id`); its ids for the log line. */
export function endRequestSpan(request: FastifyRequest, reply: FastifyReply): { traceId: string; spanId: string } | undefined {
  const started = spans.get(request);
  if (!started) return undefined;
  const route = request.routeOptions.url;
  if (route) started.span.updateName(`${request.method} ${route}`).setAttribute('http.route', route);
  started.span.setAttribute('http.response.status_code', reply.statusCode);
  endSpan(started, reply.statusCode >= 500 ? `HTTP ${reply.statusCode}` : undefined);
  const { traceId, spanId } = started.span.spanContext();
  return { traceId, spanId };
}
