import { z } from 'zod';
import { PROBLEM_CONTENT_TYPE, problemSchema, problemType, titleOf } from './problem';
import type { ProblemContract, RouteContract } from './route-contract';

type JsonSchema = Record<string, unknown>;

/** The document's `info`, and a description of each tag the routes use. */
export interface ApiInfo {
  title: string;
  version: string;
  description?: string;
  license?: { name: string; identifier?: string; url?: string };
}
export interface ApiDescription {
  info: ApiInfo;
  tags: Record<string, string>;
}

// zod leaves a schema's `examples` out of the input side when it holds a transform (e.g. a trimmed e-mail), as if they
// were outputs; the contracts' examples are requests, so they are kept.
const keepExamples = ({ zodSchema, jsonSchema }: { zodSchema: z.core.$ZodType; jsonSchema: JsonSchema }): void => {
  const examples = z.globalRegistry.get(zodSchema)?.examples;
  if (examples !== undefined && jsonSchema['examples'] === undefined) jsonSchema['examples'] = examples;
};

const toSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any', override: keepExamples }) as JsonSchema;
  return json;
};

/**
 * The first of a schema's `.meta({ examples })`, to build a larger example from (a page of items, a view inside another):
 * every part of the document then shows the same value.
 */
export function firstExample<S extends z.ZodType>(schema: S): z.output<S> {
  const examples = z.globalRegistry.get(schema)?.examples;
  if (!Array.isArray(examples) || examples.length === 0) throw new Error('The schema has no `.meta({ examples })`.');
  return examples[0] as z.output<S>;
}

/** The first of a schema's `examples` (zod `.meta({ examples })`), as the media type's `example`. */
const exampleOf = (json: JsonSchema): { example?: unknown } => (Array.isArray(json['examples']) && json['examples'].length > 0 ? { example: json['examples'][0] } : {});

function parametersOf(object: z.ZodObject | undefined, location: 'path' | 'query' | 'header'): JsonSchema[] {
  if (!object) return [];
  const json = toSchema(object, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, schema]) => ({
    name,
    in: location,
    required: location === 'path' || (json.required ?? []).includes(name),
    schema,
    ...(typeof schema['description'] === 'string' ? { description: schema['description'] } : {}),
    ...exampleOf(schema),
  }));
}

const hasInput = (route: RouteContract): boolean => !!(route.body || route.query || route.params || route.headers);

/**
 * The problems every route of its kind can answer, derived from the contract: 400 for input, 401/403 by access, the
 * platform's answers to a body it cannot read, 500 and the 503 of an unreachable PostgreSQL or Redis (to-problem.ts).
 */
function genericProblems(route: RouteContract): Array<readonly [number, ProblemContract]> {
  const json = !!route.body && route.bodyType !== 'multipart/form-data';
  const when = (applies: boolean, status: number, types: ProblemContract['types'], description: string) => (applies ? [[status, { types, description }] as const] : []);
  return [
    ...when(hasInput(route), 400, ['validation'], 'The request is invalid; `errors` names each field at fault (`in`: path, query, header or body).'),
    ...when(json, 400, ['malformed-request'], 'The body is not well-formed JSON.'),
    ...when(route.access !== 'public', 401, ['unauthenticated', 'invalid-token'], 'Missing, invalid or expired access token.'),
    ...when(route.access === 'admin', 403, ['forbidden', 'account-not-active', 'two-factor-required'], 'Not an admin, a frozen admin account, or an admin without a second factor.'),
    ...when(json, 413, ['body-too-large'], 'The body is larger than the server accepts.'),
    ...when(json, 415, ['unsupported-media-type'], 'The body is not `application/json`.'),
    ...when(true, 500, ['internal'], 'An unexpected error; quote the `requestId` when reporting it.'),
    ...when(true, 503, ['dependency-unavailable'], 'The database or Redis cannot be reached; nothing was lost, retry after Retry-After.'),
  ];
}

/** The route's problems by status: its own first, then the generic ones, types and descriptions merged. */
function problemsOf(route: RouteContract): Map<number, { types: string[]; descriptions: string[] }> {
  const merged = new Map<number, { types: string[]; descriptions: string[] }>();
  const own = Object.entries(route.problems ?? {}).map(([status, problem]) => [Number(status), problem] as const);
  for (const [status, problem] of [...own, ...genericProblems(route)]) {
    const entry = merged.get(status) ?? { types: [], descriptions: [] };
    entry.types.push(...problem.types.filter((type) => !entry.types.includes(type)));
    entry.descriptions.push(problem.description);
    merged.set(status, entry);
  }
  return new Map([...merged].sort(([a], [b]) => a - b));
}

const RETRY_AFTER = { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer', minimum: 0 } } };

function problemResponse(status: number, { types, descriptions }: { types: string[]; descriptions: string[] }): JsonSchema {
  const uris = types.map(problemType);
  return {
    description: `${descriptions.join(' ')} Problem types: ${types.map((type) => `\`${type}\``).join(', ')}.`,
    ...(status === 429 || status === 503 ? { headers: RETRY_AFTER } : {}),
    content: {
      [PROBLEM_CONTENT_TYPE]: {
        schema: { allOf: [{ $ref: '#/components/schemas/Problem' }, { type: 'object', properties: { type: { type: 'string', enum: uris } } }] },
        examples: Object.fromEntries(types.map((type) => [type, { value: { type: problemType(type), title: titleOf(status), status } }])),
      },
    },
  };
}

const operationIdOf = (route: RouteContract): string =>
  `${route.method.toLowerCase()}${route.path.replace(/[^a-zA-Z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`;

function operationOf(route: RouteContract): JsonSchema {
  const responses: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(route.responses)) {
    const schema = response.schema && toSchema(response.schema, 'output');
    responses[status] = schema ? { description: response.description, content: { 'application/json': { schema, ...exampleOf(schema) } } } : { description: response.description };
  }
  for (const [status, problems] of problemsOf(route)) responses[status] = problemResponse(status, problems);
  const body = route.body && toSchema(route.body, 'input');

  return {
    operationId: operationIdOf(route),
    summary: route.summary,
    tags: [route.tag],
    // Signed-in is the document's default (its root `security`); a public route says it needs nothing.
    ...(route.access === 'public' ? { security: [] } : {}),
    // Who may call it, as the route contract declares (the route contract guard applies the same value).
    'x-access': route.access,
    parameters: [...parametersOf(route.params, 'path'), ...parametersOf(route.query, 'query'), ...parametersOf(route.headers, 'header')],
    ...(body ? { requestBody: { required: true, content: { [route.bodyType ?? 'application/json']: { schema: body, ...exampleOf(body) } } } } : {}),
    responses,
  };
}

/** An OpenAPI 3.1 document generated from the same zod schemas that validate the requests. */
export function buildOpenApiDocument(routes: readonly RouteContract[], { info, tags }: ApiDescription): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of [...routes].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method))) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operationOf(route) };
  }
  return {
    openapi: '3.1.0',
    info,
    // Relative: the document describes the server that serves it.
    servers: [{ url: '/', description: 'The server this document is served by.' }],
    security: [{ bearer: [] }],
    tags: Object.entries(tags).map(([name, description]) => ({ name, description })),
    paths,
    components: {
      schemas: { Problem: toSchema(problemSchema, 'output') },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}
