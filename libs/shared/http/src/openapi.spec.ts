import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildOpenApiDocument, firstExample } from './openapi';
import { defineRoute } from './route-contract';

const getThing = defineRoute({
  method: 'GET',
  path: '/v1/things/:thingId',
  tag: 'things',
  summary: 'A thing',
  access: 'user',
  params: z.object({ thingId: z.uuid() }),
  query: z.object({ expand: z.enum(['owner']).optional(), limit: z.coerce.number().int().default(10) }),
  responses: {
    200: {
      description: 'The thing.',
      // A transform inside: zod treats the schema's examples as outputs, which a response's are.
      schema: z
        .object({ id: z.uuid(), amountSats: z.string().regex(/^\d+$/), label: z.string().transform((label) => label.toUpperCase()) })
        .meta({ examples: [{ id: '3f6b2c1e-8d4a-4f7b-9c2e-5a1d7e9b0c44', amountSats: '250000', label: 'FIRST' }] }),
    },
  },
  problems: { 404: { types: ['thing-not-found'], description: 'No such thing.' } },
});

const createThing = defineRoute({
  method: 'POST',
  path: '/v1/things',
  tag: 'things',
  summary: 'Make a thing',
  access: 'admin',
  headers: z.object({ 'Idempotency-Key': z.string().min(1).meta({ examples: ['k-1'] }), 'X-Note': z.string().optional() }),
  body: z.object({ name: z.string().min(1) }).meta({ examples: [{ name: 'first' }] }),
  responses: { 201: { description: 'Made.' } },
  problems: { 403: { types: ['thing-frozen'], description: 'Things are frozen.' }, 409: { types: ['thing-exists'], description: 'It exists.' } },
});

const uploadThing = defineRoute({
  method: 'PUT',
  path: '/v1/things/:thingId/picture',
  tag: 'things',
  summary: 'Upload its picture',
  access: 'public',
  params: z.object({ thingId: z.uuid() }),
  body: z.object({ file: z.file() }),
  bodyType: 'multipart/form-data',
  responses: { 204: { description: 'Stored.' } },
});

const description = { info: { title: 'T', version: '1', license: { name: 'Proprietary', identifier: 'LicenseRef-T' } }, tags: { things: 'Things.' } };

describe('buildOpenApiDocument', () => {
  const document = buildOpenApiDocument([getThing, createThing, uploadThing], description);
  const paths = document['paths'] as Record<string, Record<string, Record<string, unknown>>>;
  const responsesOf = (path: string, method: string) => paths[path]?.[method]?.['responses'] as Record<string, Record<string, unknown>>;

  it('is a valid OpenAPI 3.1 document in the default JSON Schema dialect', async () => {
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    // Swagger UI warns about any other dialect.
    expect(document).not.toHaveProperty('jsonSchemaDialect');
    expect(document['tags']).toEqual([{ name: 'things', description: 'Things.' }]);
  });

  it('turns contracts into operations with parameters, bodies, security and problems', () => {
    const get = paths['/v1/things/{thingId}']?.['get'];
    expect(get?.['operationId']).toBe('getV1ThingsThingId');
    expect(get?.['parameters']).toEqual([
      expect.objectContaining({ name: 'thingId', in: 'path', required: true }),
      expect.objectContaining({ name: 'expand', in: 'query', required: false }),
      expect.objectContaining({ name: 'limit', in: 'query', required: false }),
    ]);
    expect(Object.keys(responsesOf('/v1/things/{thingId}', 'get')).sort()).toEqual(['200', '400', '401', '404', '500', '503']);
    const post = paths['/v1/things']?.['post'];
    expect(post).not.toHaveProperty('security');
    expect(document['security']).toEqual([{ bearer: [] }]);
    expect(paths['/v1/things/{thingId}/picture']?.['put']?.['security']).toEqual([]);
    expect(Object.keys(responsesOf('/v1/things', 'post'))).toEqual(['201', '400', '401', '403', '409', '413', '415', '500', '503']);
    expect(JSON.stringify(post?.['requestBody'])).toContain('"minLength":1');
  });

  it('documents request headers as header parameters, with their examples', () => {
    expect(paths['/v1/things']?.['post']?.['parameters']).toEqual([
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true, example: 'k-1' }),
      expect.objectContaining({ name: 'X-Note', in: 'header', required: false }),
    ]);
  });

  it("lifts a body schema's first example to the media type, and documents a multipart body as such", () => {
    expect(paths['/v1/things']?.['post']?.['requestBody']).toMatchObject({ content: { 'application/json': { example: { name: 'first' } } } });
    const upload = paths['/v1/things/{thingId}/picture']?.['put']?.['requestBody'] as { content: Record<string, { schema: { properties: Record<string, unknown> } }> };
    expect(Object.keys(upload.content)).toEqual(['multipart/form-data']);
    expect(upload.content['multipart/form-data']?.schema.properties['file']).toMatchObject({ type: 'string', format: 'binary' });
    // The platform's 413/415 answers to a JSON body are not derived for a form the handler reads itself.
    expect(Object.keys(responsesOf('/v1/things/{thingId}/picture', 'put'))).toEqual(['204', '400', '500', '503']);
  });

  it("lifts a response schema's first example to the media type", () => {
    expect(responsesOf('/v1/things/{thingId}', 'get')['200']).toMatchObject({
      content: { 'application/json': { example: { id: '3f6b2c1e-8d4a-4f7b-9c2e-5a1d7e9b0c44', amountSats: '250000', label: 'FIRST' } } },
    });
  });

  it('hands out the first example of a schema to build larger ones from, and refuses a schema without', () => {
    const item = z.object({ name: z.string() }).meta({ examples: [{ name: 'first' }, { name: 'second' }] });
    expect(firstExample(item)).toEqual({ name: 'first' });
    expect(() => firstExample(z.object({ name: z.string() }))).toThrow(/no `.meta\(\{ examples \}\)`/);
  });

  it('names the problem types of each status: the route’s own merged with the generic ones, each with an example', () => {
    const forbidden = responsesOf('/v1/things', 'post')['403'] as { content: Record<string, { schema: { allOf: Array<Record<string, unknown>> }; examples: Record<string, { value: unknown }> }> };
    const media = forbidden.content['application/problem+json'];
    expect(media?.schema.allOf[0]).toEqual({ $ref: '#/components/schemas/Problem' });
    const types = ['thing-frozen', 'forbidden', 'account-not-active', 'two-factor-required'];
    expect(media?.schema.allOf[1]).toEqual({ type: 'object', properties: { type: { type: 'string', enum: types.map((type) => `https://bitro.dev/problems/${type}`) } } });
    expect(media?.examples['thing-frozen']?.value).toEqual({ type: 'https://bitro.dev/problems/thing-frozen', title: 'Forbidden', status: 403 });
    const badRequest = JSON.stringify(responsesOf('/v1/things', 'post')['400']);
    expect(badRequest).toContain('problems/validation');
    expect(badRequest).toContain('problems/malformed-request');
    expect(responsesOf('/v1/things', 'post')['503']).toHaveProperty('headers.Retry-After');
  });
});
