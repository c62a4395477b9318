import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { ProblemException } from './problem';
import { sendProblem } from './send-problem';

export const REQUEST_ID_HEADER = 'x-request-id';
const ACCEPTABLE_REQUEST_ID = /^[\w.:-]{1,128}$/;

export interface HttpOptions {
  logger: Logger;
  bodyLimit: number;
  trustProxy: boolean;
}

/**
 * Fastify as Nest's HTTP platform, with Bitro's conventions: a request id on every request and
 * response (a caller's well-formed `X-Request-Id` is kept), and problem+json for what Fastify
 * itself refuses before Nest sees the request (bad JSON, media type, body size, unknown route).
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
    disableRequestLogging: false,
    return503OnClosing: true,
  });
  const fastify = adapter.getInstance() as unknown as FastifyInstance;
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
  });
  fastify.setErrorHandler((error, request, reply) => sendProblem(error, request, reply));
  fastify.setNotFoundHandler((request, reply) =>
    sendProblem(new ProblemException(404, 'not-found', `No route ${request.method} ${request.url.split('?')[0]}.`), request, reply),
  );
  return adapter;
}
