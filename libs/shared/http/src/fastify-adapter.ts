import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { endRequestSpan, traceRequest } from './request-tracing';
import { clientErrorProblem, frameworkErrorProblem, MAX_PARAM_LENGTH } from './framework-errors';
import { shapeResponses } from './response-shaping';

export const REQUEST_ID_HEADER = 'x-request-id';
const ACCEPTABLE_REQUEST_ID = /^[\w.:-]{1,128}$/;

export interface HttpOptions {
  logger: Logger;
  bodyLimit: number;
  /** Fastify's `trustProxy`: which hops' X-Forwarded-For / -Proto are believed (never `true`, every hop). */
  trustProxy: false | number | string[];
}

/**
 * Fastify as Nest's HTTP platform, with Bitro's conventions: a request id on every request and
 * response (a caller's well-formed `X-Request-Id` is kept), one log line per request when its answer is sent, and
 * answers shaped by their route contracts ({@link shapeResponses}). Errors, including what Fastify refuses
 * before a handler runs (bad JSON, media type, body size, unknown route), reach Nest's exception
 * filter, and so {@link ProblemFilter}; what the router and Node's HTTP parser refuse earlier answers problem+json too.
 */
export function createFastifyAdapter(options: HttpOptions): FastifyAdapter {
  const adapter = new FastifyAdapter({
    loggerInstance: options.logger,
    bodyLimit: options.bodyLimit,
    trustProxy: options.trustProxy,
    requestIdHeader: false,
    genReqId: (request: { headers: Record<string, string | string[] | undefined> }) => {
      const given = request.headers[REQUEST_ID_HEADER];
      return typeof given === 'string' && ACCEPTABLE_REQUEST_ID.test(given) ? given : randomUUID();
    },
    return503OnClosing: true,
    maxParamLength: MAX_PARAM_LENGTH,
    frameworkErrors: frameworkErrorProblem,
    clientErrorHandler: clientErrorProblem,
    // Fastify's own request logging writes two lines per request (received, completed): one is enough.
    disableRequestLogging: true,
  });
  const fastify = adapter.getInstance() as unknown as FastifyInstance;
  // The request line holds only what the req and res serializers pick (method, redacted URL, host, peer, status), so it
  // skips the path redaction every other line pays for: a third of the line's cost (ADR 37).
  const accessLog = fastify.log.child({}, { redact: { paths: [] } });
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    traceRequest(request, done);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    accessLog.info({ reqId: request.id, req: request, res: reply, responseTime: reply.elapsedTime, ...endRequestSpan(request, reply) }, 'request completed');
    done();
  });
  shapeResponses(fastify);
  return adapter;
}
