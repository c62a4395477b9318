import { AccessTokens } from '@bitro/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestApp, TEST_JWT_SECRET, type TestApp } from './test-app';

let api: TestApp;

beforeAll(async () => {
  api = await startTestApp({ BODY_LIMIT_BYTES: '2048' });
});
afterAll(() => api?.close());

const expectProblem = (response: { status: number; headers: Headers; body: Record<string, unknown> }, status: number, type: string) => {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(response.body).toMatchObject({ status, type: `https://bitro.dev/problems/${type}` });
  expect(response.body['requestId']).toBe(response.headers.get('x-request-id'));
  expect(JSON.stringify(response.body)).not.toMatch(/\bat .+\.(js|ts):\d+/);
};

describe('HTTP conventions', () => {
  it('answers an unknown route with a 404 problem', async () => {
    expectProblem(await call(api.url, 'GET', '/v1/nothing-here'), 404, 'not-found');
  });

  it('answers a body of an unsupported media type with 415', async () => {
    const response = await call(api.url, 'POST', '/v1/auth/login', { rawBody: '<login/>', headers: { 'content-type': 'application/xml' } });
    expectProblem(response, 415, 'unsupported-media-type');
  });

  it('answers malformed JSON with 400', async () => {
    const response = await call(api.url, 'POST', '/v1/auth/login', { rawBody: '{"email": ' });
    expectProblem(response, 400, 'malformed-request');
  });

  it('answers an oversized body with 413', async () => {
    const response = await call(api.url, 'POST', '/v1/auth/signup', { body: { email: 'a@b.co', password: 'x'.repeat(4096), displayName: 'A' } });
    expectProblem(response, 413, 'body-too-large');
  });

  it('answers an unexpected error with a bare 500 and logs it with the request id', async () => {
    // A well-signed token whose subject is not a uuid makes the database refuse the inbox's query.
    const token = new AccessTokens(TEST_JWT_SECRET, 60).sign({ sub: 'not-a-uuid', role: 'user', sid: 's' });
    const response = await call(api.url, 'GET', '/v1/notifications', { token });
    expectProblem(response, 500, 'internal');
    expect(response.body['detail']).toBe('An unexpected error occurred. Quote the request id when reporting it.');
    const logged = api.logs.find((line) => line['msg'] === 'unexpected error');
    expect(logged?.['reqId']).toBe(response.headers.get('x-request-id'));
  });

  it('answers a token whose subject is no user with 404, the account being gone', async () => {
    const token = new AccessTokens(TEST_JWT_SECRET, 60).sign({ sub: 'not-a-uuid', role: 'user', sid: 's' });
    expectProblem(await call(api.url, 'GET', '/v1/me', { token }), 404, 'user-not-found');
  });

  it('gives every response a request id and keeps a well-formed one from the caller', async () => {
    const generated = await call(api.url, 'GET', '/health/live');
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await call(api.url, 'GET', '/health/live', { headers: { 'x-request-id': 'client-abc.123' } });
    expect(kept.headers.get('x-request-id')).toBe('client-abc.123');
    const replaced = await call(api.url, 'GET', '/health/live', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(replaced.headers.get('x-request-id')).not.toBe('bad id with spaces');
  });

  it('reports ready when PostgreSQL and Redis answer', async () => {
    const ready = await call(api.url, 'GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body['checks']).toEqual([
      expect.objectContaining({ name: 'postgres', up: true }),
      expect.objectContaining({ name: 'redis', up: true }),
    ]);
  });
});

describe('readiness with a dependency down', () => {
  it('answers 503 naming the dependency that is down', async () => {
    const broken = await startTestApp({ REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const ready = await call(broken.url, 'GET', '/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.headers.get('content-type')).toContain('application/problem+json');
      expect(ready.body['down']).toEqual(['redis']);
      expect(ready.body['detail']).toContain('redis');
    } finally {
      await broken.close();
    }
  });
});
