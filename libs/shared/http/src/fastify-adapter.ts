import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { clientErrorProblem, frameworkErrorProblem, MAX_PARAM_LENGTH } from './framework-errors';

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
 * response (a caller's well-formed `X-Request-Id` is kept). Errors, including what Fastify refuses
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
  });
  const fastify = adapter.getInstance() as unknown as FastifyInstance;
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
  });
  return adapter;
}
