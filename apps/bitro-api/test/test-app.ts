import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { BitroEnv } from '@bitro/config';
import { createTestDatabase, createTestRedisNamespace, type TestDatabase, type TestRedisNamespace, testEnv } from '@bitro/testing';
import { createApp } from '../src/app/create-app';

export { requestJson as call, type JsonResponse, TEST_JWT_SECRET } from '@bitro/testing';

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
  const env = testEnv(database, redis, { LOG_LEVEL: 'info', ...overrides });
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

/** Probes until `done` holds for the value, or fails after `timeoutMs` naming `what` and the last value. */
export async function until<T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
