import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildOpenApiDocument } from './openapi';
import { defineRoute } from './route-contract';

const getThing = defineRoute({
  method: 'GET',
  path: '/v1/things/:thingId',
  tag: 'things',
  summary: 'A thing',
  access: 'user',
  params: z.object({ thingId: z.uuid() }),
  query: z.object({ expand: z.enum(['owner']).optional(), limit: z.coerce.number().int().default(10) }),
  responses: { 200: { description: 'The thing.', schema: z.object({ id: z.uuid(), amountSats: z.string().regex(/^\d+$/) }) } },
  problems: { 404: 'No such thing.' },
});

const createThing = defineRoute({
  method: 'POST',
  path: '/v1/things',
  tag: 'things',
  summary: 'Make a thing',
  access: 'admin',
  body: z.object({ name: z.string().min(1) }),
  responses: { 201: { description: 'Made.' } },
});

describe('buildOpenApiDocument', () => {
  const document = buildOpenApiDocument([getThing, createThing], { title: 'T', version: '1' });

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('turns contracts into operations with parameters, bodies, security and problems', () => {
    const paths = document['paths'] as Record<string, Record<string, Record<string, unknown>>>;
    const get = paths['/v1/things/{thingId}']?.['get'];
    expect(get?.['parameters']).toEqual([
      expect.objectContaining({ name: 'thingId', in: 'path', required: true }),
      expect.objectContaining({ name: 'expand', in: 'query', required: false }),
      expect.objectContaining({ name: 'limit', in: 'query', required: false }),
    ]);
    expect(Object.keys(get?.['responses'] as object).sort()).toEqual(['200', '400', '401', '404', '500']);
    const post = paths['/v1/things']?.['post'];
    expect(post?.['security']).toEqual([{ bearer: [] }]);
    expect(Object.keys(post?.['responses'] as object)).toContain('403');
    expect(JSON.stringify(post?.['requestBody'])).toContain('"minLength":1');
  });
});
