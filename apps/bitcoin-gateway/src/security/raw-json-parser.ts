import type { FastifyInstance } from 'fastify';

export interface RawBodyRequest {
  /** The body exactly as received, which the request signature covers. */
  rawBody?: Buffer;
}

/**
 * Makes JSON the only accepted body type, parsed by Fastify's own (prototype-poisoning-safe) parser
 * while the raw bytes stay on the request for the signature check. Nest's body parser must be off.
 */
export function registerRawJsonParser(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    (request as RawBodyRequest).rawBody = body as Buffer;
    // The default parser reads `length` and hands the bytes to secure-json-parse, which takes a Buffer as well.
    parseJson(request, body as unknown as string, done);
  });
}
