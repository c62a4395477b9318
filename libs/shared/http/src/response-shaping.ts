import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';

/** Where {@link RouteContractGuard} leaves the success schema of the request's route. */
export const RESPONSE_SCHEMA = Symbol.for('bitro.responseSchema');

/**
 * Shapes every handler's answer with its route's response schema (set by the contract guard), so nothing the
 * contract does not declare leaves the server. Error answers are sent by the problem filter, past the handler, and
 * are not shaped: a request that failed the guard has no schema, and a handler's error never reaches serialization.
 */
export function shapeResponses(fastify: FastifyInstance): void {
  fastify.addHook('preSerialization', (request, reply, payload, done) => {
    const schema = (request as { [RESPONSE_SCHEMA]?: z.ZodType })[RESPONSE_SCHEMA];
    if (!schema || reply.statusCode >= 300) {
      done(null, payload);
      return;
    }
    let shaped: unknown;
    try {
      shaped = schema.parse(payload);
    } catch (error) {
      done(error as Error);
      return;
    }
    done(null, shaped);
  });
}
