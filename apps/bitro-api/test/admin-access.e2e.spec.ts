import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signUp, startTestApp, type TestApp } from './test-app';

interface Operation {
  'x-access': 'public' | 'user' | 'admin';
}

let app: TestApp;
let userToken: string;
let operations: Array<{ method: string; path: string; access: Operation['x-access'] }>;

beforeAll(async () => {
  app = await startTestApp({ LOG_LEVEL: 'silent' });
  userToken = (await signUp(app)).token;
  const document = await call<{ paths: Record<string, Record<string, Operation>> }>(app.url, 'GET', '/docs/openapi.json');
  operations = Object.entries(document.body.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ method: method.toUpperCase(), path, access: operation['x-access'] })),
  );
});

afterAll(async () => {
  await app?.close();
});

/** A concrete path for a templated one: every `{param}` gets a well-formed id. */
const concrete = (path: string) => path.replace(/\{\w+\}/g, randomUUID());

describe('admin routes, walked from the route table (the OpenAPI document the route contracts generate)', () => {
  it('declares admin access exactly on the /v1/admin routes', () => {
    const admin = operations.filter((op) => op.access === 'admin');
    expect(admin.length).toBeGreaterThan(0);
    expect(admin).toContainEqual({ method: 'GET', path: '/v1/admin/reconciliation', access: 'admin' });
    expect(admin.filter((op) => !op.path.startsWith('/v1/admin/'))).toEqual([]);
    expect(operations.filter((op) => op.path.startsWith('/v1/admin/') && op.access !== 'admin')).toEqual([]);
  });

  it('answers 401 without a token and 403 to a signed-in non-admin on every admin route', async () => {
    for (const op of operations.filter((candidate) => candidate.access === 'admin')) {
      const path = concrete(op.path);
      const body = op.method === 'GET' || op.method === 'DELETE' ? undefined : {};
      const anonymous = await call(app.url, op.method, path, { body });
      expect(anonymous.status, `${op.method} ${op.path} without a token`).toBe(401);
      const user = await call(app.url, op.method, path, { body, token: userToken });
      expect(user.status, `${op.method} ${op.path} as a user`).toBe(403);
      expect(user.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
  });
});
