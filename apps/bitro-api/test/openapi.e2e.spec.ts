import { Validator } from '@seriousme/openapi-schema-validator';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestApp, type TestApp } from './test-app';

let api: TestApp;

beforeAll(async () => {
  api = await startTestApp();
});
afterAll(() => api?.close());

describe('OpenAPI', () => {
  it('serves a valid OpenAPI 3.1 document generated from the route contracts', async () => {
    const { status, body } = await call(api.url, 'GET', '/docs/openapi.json');
    expect(status).toBe(200);
    const validator = new Validator();
    const result = await validator.validate(body);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');

    const paths = body['paths'] as Record<string, Record<string, { requestBody?: unknown; security?: unknown; responses: Record<string, unknown> }>>;
    expect(Object.keys(paths)).toEqual(expect.arrayContaining(['/v1/auth/signup', '/v1/auth/login', '/v1/auth/refresh', '/v1/auth/logout', '/v1/me']));
    const signup = paths['/v1/auth/signup']?.['post'];
    expect(signup?.security).toEqual([]);
    expect(JSON.stringify(signup?.requestBody)).toContain('"minLength":10');
    expect(Object.keys(signup?.responses ?? {})).toEqual(expect.arrayContaining(['202', '400', '429', '500']));
    expect(paths['/v1/me']?.['get']?.security).toBeUndefined();
    expect(body['security']).toEqual([{ bearer: [] }]);
  });

  it('serves the document `npm run docs:openapi` writes to docs/openapi.json', async () => {
    const { body } = await call(api.url, 'GET', '/docs/openapi.json');
    const committed: unknown = JSON.parse(readFileSync(join(__dirname, '../../../docs/openapi.json'), 'utf8'));
    expect(body).toEqual(committed);
  });

  it('serves the client guide bundled with the app at /docs/guide, linked from the document', async () => {
    const guide = await fetch(`${api.url}/docs/guide`);
    expect(guide.status).toBe(200);
    expect(guide.headers.get('content-type')).toContain('text/markdown');
    expect(await guide.text()).toBe(readFileSync(join(__dirname, '../../../docs/client-guide.md'), 'utf8'));
    const { body } = await call<{ info: { description: string } }>(api.url, 'GET', '/docs/openapi.json');
    expect(body.info.description).toContain('](/docs/guide)');
  });

  it('serves the browsable UI and its assets', async () => {
    const page = await fetch(`${api.url}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('swagger-ui-bundle.js');
    const bundle = await fetch(`${api.url}/docs/assets/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
    expect((await fetch(`${api.url}/docs/assets/..%2Fpackage.json`)).status).toBe(404);
  });
});
