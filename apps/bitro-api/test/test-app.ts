import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type BitroEnv, bitroEnvSchema, loadEnv } from '@bitro/config';
import { createTestDatabase, createTestRedisNamespace, type TestDatabase, type TestRedisNamespace } from '@bitro/testing';
import { createApp } from '../src/app/create-app';

export const TEST_JWT_SECRET = 'test-secret-for-end-to-end-tests-0123456789';

export interface TestApp {
  url: string;
  env: BitroEnv;
  database: TestDatabase;
  redis: TestRedisNamespace;
  app: NestFastifyApplication;
  /** Every log line the app wrote, as parsed JSON. */
  logs: Array<Record<string, unknown>>;
  /** The raw log output. */
  rawLogs(): string;
  close(): Promise<void>;
}

/**
 * bitro-api on a random port, with a database and a Redis key namespace of its own, or those of
 * another test app (`shareWith`) to run as a second replica.
 */
export async function startTestApp(overrides: Record<string, string> = {}, shareWith?: TestApp): Promise<TestApp> {
  const database = shareWith?.database ?? (await createTestDatabase());
  const redis = shareWith?.redis ?? createTestRedisNamespace();
  const env = loadEnv(bitroEnvSchema, {
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: redis.prefix,
    JWT_SECRET: TEST_JWT_SECRET,
    PIN_HASH_KEY: 'test-pin-hash-key-for-end-to-end-tests-000',
    LOG_LEVEL: 'info',
    ...overrides,
  });
  const chunks: string[] = [];
  const app = await createApp(env, { write: (chunk: string) => void chunks.push(chunk) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    url,
    env,
    database,
    redis,
    app,
    get logs() {
      return chunks.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    rawLogs: () => chunks.join(''),
    async close() {
      await app.close();
      if (!shareWith) await Promise.all([database.drop(), redis.clear()]);
    },
  };
}

export interface JsonResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/** A JSON request; the body of the answer parsed whatever its status. */
export async function call<T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; token?: string; headers?: Record<string, string>; rawBody?: string } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined || options.rawBody !== undefined) headers['content-type'] ??= 'application/json';
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  const response = await fetch(baseUrl + path, {
    method,
    headers,
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as T };
}
