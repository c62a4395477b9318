import { fc } from '@fast-check/vitest';
import http from 'node:http';
import { rawHttp } from '../raw-http';
import type { JsonSchema, Operation } from './openapi-operations';
import { validValue, wrongValue } from './schema-values';

export type Identity = 'anonymous' | 'user' | 'admin';

/** One request of the fuzz: what it sends and which part of it is wrong. */
export interface FuzzCase {
  identity: Identity;
  fault: string;
  path: string;
  body?: string;
  headers: Record<string, string>;
  /** Written to the socket as it is: Node's client would not send a Content-Length that lies. */
  raw?: boolean;
}

const BAD_ENCODINGS = ['%ZZ', '%', '%0', '%00', '%C0%80', '%C0%AF', '%E0%80%80', '%F4%90%80%80', '%ED%A0%80', '..%2F..%2F', '%2e%2e', '%uD800'];
const ODD_SEGMENTS = ['', '.', '..', '/', '%2F', 'x/'];
const CONTENT_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=fuzz', 'application/json; charset=utf-16', 'application/xml', 'application/jsonx', 'application/json, text/plain'];

const text = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value) ?? '');
/** Percent-encoding of the UTF-8 bytes (a lone surrogate becomes U+FFFD, as any UTF-8 encoder makes it). */
const percentEncoded = (value: unknown): string => {
  try {
    return encodeURIComponent(text(value));
  } catch {
    return [...Buffer.from(text(value), 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0').toUpperCase()}`).join('');
  }
};
const encoded = (value: unknown) => fc.oneof({ weight: 4, arbitrary: fc.constant(percentEncoded(value)) }, { weight: 1, arbitrary: fc.constantFrom(...BAD_ENCODINGS) });

/** A JSON text whose object has one key twice: the first valid, the second not (or the reverse). */
function withDuplicateKey(object: Record<string, unknown>, key: string, wrong: unknown, wrongFirst: boolean): string {
  const { [key]: valid, ...rest } = object;
  const pairs = [`${JSON.stringify(key)}:${JSON.stringify(valid ?? null)}`, `${JSON.stringify(key)}:${JSON.stringify(wrong ?? null)}`];
  if (wrongFirst) pairs.reverse();
  const others = Object.entries(rest).map(([name, value]) => `${JSON.stringify(name)}:${JSON.stringify(value)}`);
  return `{${[...others, ...pairs].join(',')}}`;
}

const requiredOnly = (schema: JsonSchema): JsonSchema => ({
  ...schema,
  properties: Object.fromEntries(Object.entries(schema.properties ?? {}).filter(([name]) => (schema.required ?? []).includes(name))),
});

/** The kinds of fault a request to `operation` can carry: one per parameter and body field, and the request as a whole. */
export function faultsOf(operation: Operation): string[] {
  const bodyProperties = Object.keys(operation.body?.properties ?? {});
  return [
    ...operation.parameters.filter((parameter) => parameter.in === 'path').flatMap((parameter) => [`path:${parameter.name}`, `path-segment:${parameter.name}`]),
    ...operation.parameters.filter((parameter) => parameter.in === 'query').flatMap((parameter) => [`query:${parameter.name}`, `query-duplicate:${parameter.name}`]),
    ...bodyProperties.flatMap((name) => [`body:${name}`, `body-duplicate:${name}`]),
    ...(operation.body ? ['body-whole', 'body-nesting', 'body-malformed', 'content-type', 'body-extra-field', 'content-length-short'] : ['body-unexpected']),
    'headers',
    'headers-huge',
  ];
}

/** Generated requests to `operation`, each with one kind of fault, as `identities`. */
export function fuzzCases(operation: Operation, identities: Identity[]): fc.Arbitrary<FuzzCase> {
  const pathParameters = operation.parameters.filter((parameter) => parameter.in === 'path');
  const queryParameters = operation.parameters.filter((parameter) => parameter.in === 'query');
  const faults = faultsOf(operation);
  return fc
    .record({
      identity: fc.constantFrom(...identities),
      fault: fc.constantFrom(...faults),
      pathValid: fc.record(Object.fromEntries(pathParameters.map((parameter) => [parameter.name, validValue(parameter.schema)]))),
      // Only what is required besides the field at fault, so another field's fault rarely hides it.
      queryValid: fc.record(Object.fromEntries(queryParameters.filter((parameter) => parameter.required).map((parameter) => [parameter.name, validValue(parameter.schema)]))),
      body: validValue(operation.body && requiredOnly(operation.body)),
      idempotencyKey: fc.uuid(),
    })
    .chain((base) => {
      const [kind = '', name = ''] = base.fault.split(/:(.*)/s);
      const parameter = operation.parameters.find((candidate) => candidate.name === name);
      const property = operation.body?.properties?.[name];
      const wrong = kind.startsWith('path') || kind.startsWith('query') ? wrongValue(parameter?.schema, name) : wrongValue(property, name);
      return fc.record({
        wrong,
        // What routers and static file servers trip on: nothing, dots, slashes.
        wrongEncoded: kind === 'path-segment' ? fc.constantFrom(...ODD_SEGMENTS) : wrong.chain(encoded),
        pathEncoded: fc.record(Object.fromEntries(Object.entries(base.pathValid).map(([key, value]) => [key, fc.constant(percentEncoded(value))]))),
        wrongFirst: fc.boolean(),
        depth: fc.integer({ min: 50, max: 100_000 }),
        contentType: fc.constantFrom(...CONTENT_TYPES),
        malformed: fc.constantFrom('{', '{"a":', '[1,]', '{"a":1}}', "{'a':1}", '\u0000', 'nul', '{"a":"\\ud800"}', '{"a":"\\u0000"}', '\uFEFF{}', '1e99999', '"'),
        header: fc.record({ name: fc.constantFrom('idempotency-key', 'totp-code', 'x-request-id', 'authorization', 'content-type', 'accept'), value: fc.constantFrom('', ' ', 'x'.repeat(1_000), 'é', 'Bearer', 'Bearer x.y.z', 'Basic Og==', '0'.repeat(300), 'a,b', '{}') }),
      }).map((faulty): FuzzCase => {
        const pathValues = { ...faulty.pathEncoded, ...(kind.startsWith('path') ? { [name]: faulty.wrongEncoded } : {}) };
        const path = operation.path.replace(/\{(\w+)\}/g, (_whole, key: string) => pathValues[key] ?? 'x');
        const query: string[] = Object.entries(base.queryValid).map(([key, value]) => `${key}=${percentEncoded(value)}`);
        if (kind === 'query') query.push(`${name}=${faulty.wrongEncoded}`);
        if (kind === 'query-duplicate') query.push(`${name}=${faulty.wrongEncoded}`, `${name}=${percentEncoded(base.queryValid[name] ?? 'x')}`);
        const headers: Record<string, string> = {};
        if (operation.method !== 'GET') headers['idempotency-key'] = base.idempotencyKey;
        let body: string | undefined;
        const object = (typeof base.body === 'object' && base.body !== null && !Array.isArray(base.body) ? base.body : {}) as Record<string, unknown>;
        if (operation.body) {
          headers['content-type'] = 'application/json';
          body = JSON.stringify(base.body ?? {});
          if (kind === 'body') body = JSON.stringify({ ...object, [name]: faulty.wrong });
          if (kind === 'body-duplicate') body = withDuplicateKey(object, name, faulty.wrong, faulty.wrongFirst);
          if (kind === 'body-whole') body = JSON.stringify(faulty.wrong) ?? 'null';
          if (kind === 'body-extra-field') body = JSON.stringify({ ...object, [text(faulty.wrong).slice(0, 50)]: faulty.wrong });
          if (kind === 'body-nesting') body = faulty.wrongFirst ? `${'['.repeat(faulty.depth)}${']'.repeat(faulty.depth)}` : `${'{"a":'.repeat(faulty.depth)}1${'}'.repeat(faulty.depth)}`;
          if (kind === 'body-malformed') body = faulty.malformed;
          if (kind === 'content-type') headers['content-type'] = faulty.contentType;
        } else if (kind === 'body-unexpected') {
          headers['content-type'] = faulty.wrongFirst ? 'application/json' : faulty.contentType;
          body = faulty.wrongFirst ? JSON.stringify(faulty.wrong) ?? 'null' : text(faulty.wrong);
        }
        if (kind === 'headers') headers[faulty.header.name] = faulty.header.value;
        if (kind === 'headers-huge') headers['x-fuzz'] = 'h'.repeat(faulty.depth % 40_000);
        if (kind === 'content-length-short') headers['content-length'] = String(Math.floor((body?.length ?? 0) / 2));
        return { identity: base.identity, fault: base.fault, path: query.length > 0 ? `${path}?${query.join('&')}` : path, body, headers, raw: kind === 'content-length-short' };
      });
    });
}

export interface Answer {
  status: number;
  contentType: string;
  body: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

/** Sends a case as it is (no URL normalisation, any body with any content type); every answer it gets. */
export async function send(baseUrl: string, method: string, fuzzCase: FuzzCase, token: string | undefined): Promise<Answer[]> {
  const headers: Record<string, string> = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...fuzzCase.headers };
  if (fuzzCase.raw) {
    const head = Object.entries({ host: 'fuzz', connection: 'close', ...headers }).map(([name, value]) => `${name}: ${value}\r\n`);
    const answers = await rawHttp(baseUrl, Buffer.concat([Buffer.from(`${method} ${fuzzCase.path} HTTP/1.1\r\n${head.join('')}\r\n`, 'latin1'), Buffer.from(fuzzCase.body ?? '')]));
    return answers.map((answer) => ({ status: answer.status, contentType: answer.headers['content-type'] ?? '', body: answer.body }));
  }
  return [await sendOne(baseUrl, method, fuzzCase.path, headers, fuzzCase.body)];
}

function sendOne(baseUrl: string, method: string, path: string, headers: Record<string, string>, body: string | undefined): Promise<Answer> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: url.hostname, port: url.port, method, path, headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, contentType: String(response.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** 5xx a test environment answers by design: bitcoin-gateway does not run here. */
const EXPECTED_UNAVAILABLE = new Set(['https://bitro.dev/problems/gateway-unavailable']);
const LOCATIONS = new Set(['body', 'query', 'path', 'header']);

/** What is wrong with an answer to bad input, or null: never 5xx, always problem+json, every field fault with its pointer. */
export function answerFault(answer: Answer): string | null {
  if (answer.status < 400) return null;
  if (!answer.contentType.startsWith('application/problem+json')) return `${answer.status} answered as ${answer.contentType || 'no content type'}: ${answer.body.slice(0, 200)}`;
  let problem: { type?: unknown; status?: unknown; errors?: Array<{ in?: unknown; pointer?: unknown }> };
  try {
    problem = JSON.parse(answer.body) as typeof problem;
  } catch {
    return `${answer.status} problem+json that is not JSON: ${answer.body.slice(0, 200)}`;
  }
  if (problem.status !== answer.status || typeof problem.type !== 'string') return `problem document does not match the answer: ${answer.body.slice(0, 300)}`;
  if (answer.status >= 500 && !(answer.status === 503 && EXPECTED_UNAVAILABLE.has(problem.type))) return `${answer.status} ${answer.body.slice(0, 300)}`;
  if (problem.type === 'https://bitro.dev/problems/validation' && !(problem.errors?.length ?? 0)) return `validation problem without errors: ${answer.body.slice(0, 300)}`;
  for (const error of problem.errors ?? []) {
    if (!LOCATIONS.has(String(error.in)) || typeof error.pointer !== 'string' || !/^(\/[^/]*)*$/.test(error.pointer)) return `field fault without its location and pointer: ${JSON.stringify(error)}`;
  }
  return null;
}
