import { randomUUID } from 'node:crypto';
import { Test, type TestingModule } from '@nestjs/testing';
import { AccessTokens, AuthModule } from '@bitro/auth';
import { ConfigModule } from '@bitro/config';
import { DbModule, PG_POOL } from '@bitro/db';
import { MessagingModule } from '@bitro/messaging';
import { AUDIT_API, AUDIT_OPS_API, type AuditApi, type AuditOpsApi } from '@bitro/service-api';
import { createTestDatabase, createTestRedisNamespace, testEnv, HTTP_CONVENTIONS, listenForTests } from '@bitro/testing';
import type { Pool } from 'pg';
import { AuditModule } from '../src/audit.module';
import { ANCHOR_PORT, type AnchorPort } from '../src/features/anchoring/anchor.port';
import { BlockSeal } from '../src/features/blocks/block-seal';
import { InclusionProofs } from '../src/features/verify/inclusion-proofs';

export interface AuditTestApp {
  moduleRef: TestingModule;
  url: string;
  audit: AuditApi;
  ops: AuditOpsApi;
  proofs: InclusionProofs;
  seal: BlockSeal;
  /** The module's pool on the test database, for SQL checks and tampering. */
  pool: Pool;
  /** An access token of an admin, or of a plain user. */
  token(role: 'admin' | 'user'): string;
  close(): Promise<void>;
}

/**
 * AuditModule served over HTTP on a database and Redis namespace of its own (auth, problem answers, contract
 * validation). Only the `http` role unless `env` says otherwise: no event workers, no block seal schedule.
 */
export async function startAuditApp(options: { env?: Record<string, string>; anchor?: AnchorPort } = {}): Promise<AuditTestApp> {
  const database = await createTestDatabase();
  const redis = createTestRedisNamespace();
  const env = testEnv(database, redis, { BITRO_ROLES: 'http', ...options.env });
  let builder = Test.createTestingModule({
    imports: [ConfigModule.forRoot(env), DbModule, MessagingModule, AuthModule, AuditModule],
    providers: HTTP_CONVENTIONS,
  });
  if (options.anchor) builder = builder.overrideProvider(ANCHOR_PORT).useValue(options.anchor);
  const moduleRef = await builder.compile();
  const { app, url } = await listenForTests(moduleRef);
  const tokens = app.get(AccessTokens);
  return {
    moduleRef,
    url,
    audit: moduleRef.get(AUDIT_API),
    ops: moduleRef.get(AUDIT_OPS_API),
    proofs: moduleRef.get(InclusionProofs),
    seal: moduleRef.get(BlockSeal),
    pool: moduleRef.get(PG_POOL),
    token: (role) => tokens.sign({ sub: randomUUID(), role, sid: randomUUID() }),
    async close() {
      await app.close();
      await Promise.all([database.drop(), redis.clear()]);
    },
  };
}

/** An admin action with a new actor. */
export const adminAction = (details: Record<string, unknown> = {}) => ({ action: 'user.suspend', actorId: randomUUID(), subject: `user:${randomUUID()}`, details });

export async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
