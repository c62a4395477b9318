import { randomUUID } from 'node:crypto';
import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test, type TestingModule } from '@nestjs/testing';
import { AccessTokens, AuthModule } from '@bitro/auth';
import { ConfigModule } from '@bitro/config';
import { DbModule } from '@bitro/db';
import { MessagingModule } from '@bitro/messaging';
import { AUDIT_API, GIFTCARD_RECONCILIATION_API, WALLET_RECONCILIATION_API } from '@bitro/service-api';
import { createTestDatabase, createTestRedisNamespace, HTTP_CONVENTIONS, listenForTests, RecordingAudit, testEnv } from '@bitro/testing';
import { expect } from 'vitest';
import { AdminModule } from '../src/index';

/** Every service-api token AdminModule injects; a test stands in for the ones it uses, the others are empty objects. */
const DOMAIN_APIS = [AUDIT_API, GIFTCARD_RECONCILIATION_API, WALLET_RECONCILIATION_API];

/** The other domains' APIs, global as the app makes them: the given stand-ins, AUDIT_API a RecordingAudit by default. */
@Module({})
export class TestDomainsModule {
  static forRoot(apis: Map<symbol, unknown>): DynamicModule {
    const providers: Provider[] = DOMAIN_APIS.map((token) => ({ provide: token, useValue: apis.get(token) ?? {} }));
    return { module: TestDomainsModule, global: true, providers, exports: DOMAIN_APIS };
  }
}

export interface AdminTestApp {
  moduleRef: TestingModule;
  app: NestFastifyApplication;
  url: string;
  /** AUDIT_API: what the admin routes recorded. */
  audit: RecordingAudit;
  /** An access token of a new admin (or user), and their id. */
  signIn(role?: 'admin' | 'user'): { id: string; token: string };
  close(): Promise<void>;
}

/**
 * AdminModule over HTTP on a random port (auth, problem answers, contract validation), with stand-ins for the other
 * domains' APIs (`apis`: token → double), on a database and Redis namespace of its own (the dead letters need them).
 */
export async function startAdminApp(apis: Map<symbol, unknown> = new Map()): Promise<AdminTestApp> {
  const database = await createTestDatabase();
  const redis = createTestRedisNamespace();
  const audit = new RecordingAudit();
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(testEnv(database, redis, { BITRO_ROLES: 'http' })),
      DbModule,
      MessagingModule,
      AuthModule,
      TestDomainsModule.forRoot(new Map([[AUDIT_API, audit], ...apis])),
      AdminModule,
    ],
    providers: HTTP_CONVENTIONS,
  }).compile();
  const { app, url } = await listenForTests(moduleRef);
  const tokens = app.get(AccessTokens);
  return {
    moduleRef,
    app,
    url,
    audit,
    signIn(role = 'admin') {
      const id = randomUUID();
      return { id, token: tokens.sign({ sub: id, role, sid: randomUUID() }) };
    },
    async close() {
      await app.close();
      await Promise.all([database.drop(), redis.clear()]);
    },
  };
}

/** Asserts a problem+json answer of this status and code. */
export function expectProblem(answer: { status: number; headers: Headers; body: unknown }, status: number, code: string): void {
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(answer.body).toMatchObject({ type: `https://bitro.dev/problems/${code}`, status });
}
