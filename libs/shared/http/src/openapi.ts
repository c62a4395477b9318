import { z } from 'zod';
import { PROBLEM_CONTENT_TYPE, problemSchema, titleOf } from './problem';
import type { RouteContract } from './route-contract';

type JsonSchema = Record<string, unknown>;

const toSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  return json;
};

function parametersOf(object: z.ZodObject | undefined, location: 'path' | 'query'): JsonSchema[] {
  if (!object) return [];
  const json = toSchema(object, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, schema]) => ({
    name,
    in: location,
    required: location === 'path' || (json.required ?? []).includes(name),
    schema,
    ...(typeof schema['description'] === 'string' ? { description: schema['description'] } : {}),
  }));
}

const problemRef = (description: string) => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
});

function operationOf(route: RouteContract): JsonSchema {
  const responses: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(route.responses)) {
    responses[status] = response.schema
      ? { description: response.description, content: { 'application/json': { schema: toSchema(response.schema, 'output') } } }
      : { description: response.description };
  }
  const problems: Record<number, string> = { 500: titleOf(500), ...route.problems };
  if (route.body || route.query || route.params) problems[400] ??= 'The request is invalid; `errors` lists each field at fault.';
  if (route.access !== 'public') problems[401] ??= 'Missing, invalid or expired access token.';
  if (route.access === 'admin') problems[403] ??= 'The caller is not an admin.';
  for (const [status, description] of Object.entries(problems)) responses[status] = problemRef(description);

  return {
    operationId: `${route.method.toLowerCase()}${route.path.replace(/[^a-zA-Z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
    summary: route.summary,
    tags: [route.tag],
    ...(route.access === 'public' ? {} : { security: [{ bearer: [] }] }),
    // Who may call it, as the route contract declares (the route contract guard applies the same value).
    'x-access': route.access,
    parameters: [...parametersOf(route.params, 'path'), ...parametersOf(route.query, 'query')],
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(route.body, 'input') } } } } : {}),
    responses,
  };
}

/** An OpenAPI 3.1 document generated from the same zod schemas that validate the requests. */
export function buildOpenApiDocument(routes: readonly RouteContract[], info: { title: string; version: string; description?: string }): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of [...routes].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method))) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operationOf(route) };
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      schemas: { Problem: toSchema(problemSchema, 'output') },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}
