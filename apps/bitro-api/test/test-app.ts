import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { BitroEnv } from '@bitro/config';
import { USER_PROVISIONING_API, type UserProvisioningApi } from '@bitro/service-api';
import { createTestDatabase, createTestRedisNamespace, requestJson, type TestDatabase, type TestRedisNamespace, testEnv, totpCode } from '@bitro/testing';
import { randomUUID } from 'node:crypto';
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
 * another test app (`shareWith`) to run as a second replica. E-mail verification is off unless a test turns it on
 * (`EMAIL_VERIFICATION_REQUIRED: 'true'`, as the tests of verification do).
 */
export async function startTestApp(overrides: Record<string, string> = {}, shareWith?: TestApp): Promise<TestApp> {
  const database = shareWith?.database ?? (await createTestDatabase());
  const redis = shareWith?.redis ?? createTestRedisNamespace();
  const env = testEnv(database, redis, { LOG_LEVEL: 'info', EMAIL_VERIFICATION_REQUIRED: 'false', ...overrides });
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

export interface SignedIn {
  id: string;
  email: string;
  token: string;
  refreshToken: string;
}

/** Signs up (202, no session) and signs in: a new user with a session. */
export async function signUp(api: Pick<TestApp, 'url'>, email = `user-${randomUUID()}@example.com`, password = 'correct horse battery'): Promise<SignedIn> {
  const signup = await requestJson(api.url, 'POST', '/v1/auth/signup', { body: { email, password, displayName: 'User' } });
  if (signup.status !== 202) throw new Error(`signup: ${signup.status} ${JSON.stringify(signup.body)}`);
  const login = await requestJson<{ accessToken: string; refreshToken: string; user: { id: string } }>(api.url, 'POST', '/v1/auth/login', { body: { email, password } });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${JSON.stringify(login.body)}`);
  return { id: login.body.user.id, email, token: login.body.accessToken, refreshToken: login.body.refreshToken };
}

/** An admin as admin:create makes one (second factor on), signed in with a TOTP code; `otpauthUri` for more codes. */
export async function signInAdmin(api: Pick<TestApp, 'url' | 'app'>, email = `ops-${randomUUID()}@example.com`, password = 'operator password 1'): Promise<SignedIn & { otpauthUri: string }> {
  const { otpauthUri = '' } = await api.app.get<UserProvisioningApi>(USER_PROVISIONING_API).createAdmin({ email, password, displayName: 'Ops' });
  const login = await requestJson<{ accessToken: string; refreshToken: string; user: { id: string } }>(api.url, 'POST', '/v1/auth/login', {
    body: { email, password, totp: totpCode(otpauthUri) },
  });
  if (login.status !== 200) throw new Error(`admin login: ${login.status} ${JSON.stringify(login.body)}`);
  return { id: login.body.user.id, email, token: login.body.accessToken, refreshToken: login.body.refreshToken, otpauthUri };
}
