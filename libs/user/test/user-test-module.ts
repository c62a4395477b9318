import { randomUUID } from 'node:crypto';
import { Global, Module, type Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test, type TestingModule } from '@nestjs/testing';
import { AccessTokens, AuthModule } from '@bitro/auth';
import { ConfigModule } from '@bitro/config';
import { DbModule } from '@bitro/db';
import { MessagingModule } from '@bitro/messaging';
import { AUDIT_API, WALLET_API, type WalletApi } from '@bitro/service-api';
import { createTestDatabase, createTestRedisNamespace, HTTP_CONVENTIONS, listenForTests, RecordingAudit, testEnv } from '@bitro/testing';
import { expect } from 'vitest';
import { UserModule } from '../src/user.module';

export interface UserTestOptions {
  /** WALLET_API (an admin's view of a user shows the balance); an empty object unless a test needs it. */
  wallet?: Partial<WalletApi>;
  /** Providers of the module replaced by test doubles, e.g. the use cases behind a controller under test. */
  overrides?: Array<{ provide: Type<unknown>; useValue: unknown }>;
  /** Serve the module over HTTP on a random port, with the apps' HTTP conventions (auth, problem answers, contracts). */
  http?: boolean;
}

export interface UserTestModule {
  moduleRef: TestingModule;
  /** AUDIT_API, global as in the app. */
  audit: RecordingAudit;
  /** With `http`: where the module is served. */
  url: string;
  /** An access token of a new admin (or user) that is in no database, and their id. */
  signIn(role?: 'admin' | 'user'): { id: string; token: string };
  close(): Promise<void>;
}

/** UserModule as the app wires it (http role: no workers), on a database and Redis namespace of its own. */
export async function startUserModule({ wallet = {}, overrides = [], http = false }: UserTestOptions = {}): Promise<UserTestModule> {
  const database = await createTestDatabase();
  const redis = createTestRedisNamespace();
  const env = testEnv(database, redis, { BITRO_ROLES: 'http' });
  const audit = new RecordingAudit();
  @Global()
  @Module({
    providers: [
      { provide: AUDIT_API, useValue: audit },
      { provide: WALLET_API, useValue: wallet },
    ],
    exports: [AUDIT_API, WALLET_API],
  })
  class OtherDomains {}

  let builder = Test.createTestingModule({
    imports: [ConfigModule.forRoot(env), DbModule, MessagingModule, AuthModule, OtherDomains, UserModule],
    providers: http ? HTTP_CONVENTIONS : [],
  });
  for (const { provide, useValue } of overrides) builder = builder.overrideProvider(provide).useValue(useValue);
  const moduleRef = await builder.compile();
  let app: NestFastifyApplication | undefined;
  let url = '';
  if (http) ({ app, url } = await listenForTests(moduleRef));
  else await moduleRef.init();
  const tokens = moduleRef.get(AccessTokens);
  return {
    moduleRef,
    audit,
    url,
    signIn(role = 'admin') {
      const id = randomUUID();
      return { id, token: tokens.sign({ sub: id, role, sid: randomUUID() }) };
    },
    async close() {
      await (app ?? moduleRef).close();
      await database.drop();
      await redis.clear();
    },
  };
}

/** Asserts a problem+json answer of this status and code. */
export function expectProblem(answer: { status: number; headers: Headers; body: unknown }, status: number, code: string): void {
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(answer.body).toMatchObject({ type: `https://bitro.dev/problems/${code}`, status });
}
