import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawHttp, type RawResponse } from './raw-http';
import { call, type JsonResponse, signInAdmin, signUp, startTestApp, type TestApp } from './test-app';

let api: TestApp;
let userToken: string;
let adminToken: string;

beforeAll(async () => {
  api = await startTestApp({ IMAGE_DIR: await mkdtemp(join(tmpdir(), 'bitro-bad-input-images-')) });
  userToken = (await signUp(api)).token;
  adminToken = (await signInAdmin(api)).token;
});
afterAll(async () => {
  await api?.close();
  if (api) await rm(api.env.IMAGE_DIR, { recursive: true, force: true });
});

interface Problem {
  status: number;
  type: string;
  errors?: Array<{ in: string; pointer: string; message: string }>;
}

const expectFieldFault = (response: JsonResponse<Problem>, where: string, pointer: string) => {
  expect(response.status, JSON.stringify(response.body)).toBe(400);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ in: where, pointer })]));
};

const expectRawProblem = (response: RawResponse | undefined, status: number, type: string) => {
  expect(response?.status).toBe(status);
  expect(response?.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(JSON.parse(response?.body ?? '{}')).toMatchObject({ status, type: `https://bitro.dev/problems/${type}` });
};

const cursorAt = (instant: string) => Buffer.from(JSON.stringify([instant, '7d0f3c4e-0000-4000-8000-00000000000a'])).toString('base64url');

describe('dates PostgreSQL cannot store', () => {
  it('refuses a cursor naming year 0000 on every paginated list (400 naming cursor)', async () => {
    const document = (await call<{ paths: Record<string, Record<string, { 'x-access': string; parameters: Array<{ name: string }> }>> }>(api.url, 'GET', '/docs/openapi.json')).body;
    const lists = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([method, operation]) => method === 'get' && operation.parameters.some((parameter) => parameter.name === 'cursor') && !path.includes('{'))
        .map(([, operation]) => ({ path, access: operation['x-access'] })),
    );
    expect(lists.length).toBeGreaterThanOrEqual(8);
    for (const { path, access } of lists) {
      const response = await call<Problem>(api.url, 'GET', `${path}?cursor=${cursorAt('0000-01-01T00:00:00.000Z')}`, { token: access === 'admin' ? adminToken : userToken });
      expectFieldFault(response, 'query', '/cursor');
    }
  });

  it('refuses from/to of year 0000 on /v1/wallet/transactions (400 naming each)', async () => {
    const response = await call<Problem>(api.url, 'GET', '/v1/wallet/transactions?from=0000-01-01&to=0001-01-01T00:30:00%2B01:00', { token: userToken });
    expectFieldFault(response, 'query', '/from');
    expectFieldFault(response, 'query', '/to');
    expect((await call(api.url, 'GET', '/v1/wallet/transactions?from=0001-01-01&to=9999-12-31', { token: userToken })).status).toBe(200);
  });
});

describe('a NUL character in text', () => {
  it('is a field fault wherever it is, body, query or path', async () => {
    expectFieldFault(await call<Problem>(api.url, 'PATCH', '/v1/me', { token: userToken, body: { displayName: 'A\u0000B' } }), 'body', '/displayName');
    const redemption = await call<Problem>(api.url, 'POST', '/v1/giftcards/redemptions', {
      token: userToken,
      headers: { 'idempotency-key': 'nul-brand' },
      body: { brand: 'culture\u0000land', pin: '1111-2222-3333-4444' },
    });
    expectFieldFault(redemption, 'body', '/brand');
    expectFieldFault(await call<Problem>(api.url, 'GET', '/v1/admin/users?q=ops%00', { token: adminToken }), 'query', '/q');
    expectFieldFault(await call<Problem>(api.url, 'GET', '/v1/brands/a%00b/images'), 'path', '/brand');
    expectFieldFault(await call<Problem>(api.url, 'POST', '/v1/auth/login', { body: { 'email\u0000': 'x', email: 'a@b.co', password: 'p' } }), 'body', '/email\u0000');
  });
});

describe('declared request headers', () => {
  it('are validated with the body: a missing Idempotency-Key and a bad body field in one 400', async () => {
    for (const path of ['/v1/giftcards/redemptions', '/v1/wallet/withdrawals']) {
      const response = await call<Problem>(api.url, 'POST', path, { token: userToken, body: { unknownField: 1 } });
      expect(response.body.type, path).toBe('https://bitro.dev/problems/validation');
      expectFieldFault(response, 'header', '/Idempotency-Key');
      expectFieldFault(response, 'body', '/unknownField');
      expect(response.body.errors?.find((error) => error.in === 'header')?.message, path).toBe('is required');
    }
    const malformed = await call<Problem>(api.url, 'POST', '/v1/giftcards/redemptions', {
      token: userToken,
      headers: { 'idempotency-key': 'x'.repeat(256) },
      body: { brand: 'cultureland', pin: '1111-2222-3333-4444' },
    });
    expect(malformed.body.errors).toEqual([{ in: 'header', pointer: '/Idempotency-Key', message: 'must be 1-255 visible ASCII characters' }]);
  });
});

describe('amounts', () => {
  it('refuses a withdrawal whose amount plus maximum fee exceeds 21 million BTC, naming maxFeeSats', async () => {
    const response = await call<Problem>(api.url, 'POST', '/v1/wallet/withdrawals', {
      token: userToken,
      headers: { 'idempotency-key': 'too-much' },
      body: { address: 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080', amountSats: '2000000000000000', maxFeeSats: '200000000000000' },
    });
    expectFieldFault(response, 'body', '/maxFeeSats');
  });
});

describe('images', () => {
  it('answers a directory under /images/ with a 404 problem, an unsatisfiable range with a 416 problem', async () => {
    const directory = join(api.env.IMAGE_DIR, 'probe-brand');
    await mkdir(directory, { recursive: true });
    await writeFile(join(directory, 'logo.64w.png'), Buffer.alloc(64, 1));
    expect((await fetch(`${api.url}/images/probe-brand/logo.64w.png`)).status).toBe(200);
    const range = await fetch(`${api.url}/images/probe-brand/logo.64w.png`, { headers: { range: 'bytes=1000-2000' } });
    expect(range.status).toBe(416);
    expect(range.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    for (const path of ['/images/', '/images/probe-brand/', '/images/probe-brand', '/images/..%2f', '/images/nothing.png']) {
      const response = await call<Problem>(api.url, 'GET', path);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type'), path).toMatch(/^application\/problem\+json/);
    }
  });
});

describe('what is refused before a route runs', () => {
  it('answers a malformed percent-encoding with a 400 problem', async () => {
    const [response] = await rawHttp(api.url, 'GET /v1/brands/%ZZ/images HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expectRawProblem(response, 400, 'malformed-url');
  });

  it('answers an over-long path parameter with a 414 problem', async () => {
    const response = await call<Problem>(api.url, 'GET', `/v1/wallet/withdrawals/${'a'.repeat(500)}`, { token: userToken });
    expect(response.status).toBe(414);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body.type).toBe('https://bitro.dev/problems/uri-too-long');
  });

  it('answers a body longer than its Content-Length with problems, not bare 400s', async () => {
    const body = JSON.stringify({ email: 'a@b.co', password: 'correct horse battery' });
    const responses = await rawHttp(api.url, `POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n${body}`);
    expect(responses.length).toBeGreaterThanOrEqual(1);
    for (const response of responses) {
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  it('answers oversized headers with a 431 problem', async () => {
    const [response] = await rawHttp(api.url, `GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`);
    expectRawProblem(response, 431, 'headers-too-large');
  });
});
