import { randomUUID } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { AuthModule } from '@bitro/auth';
import { ConfigModule } from '@bitro/config';
import { DbModule } from '@bitro/db';
import { MessagingModule } from '@bitro/messaging';
import { type AdminActionInput, AUDIT_API, type AuditApi, type AuditRecordRef, type AuditTx } from '@bitro/service-api';
import { createTestDatabase, createTestRedisNamespace, testEnv } from '@bitro/testing';
import { UserModule } from '../src/user.module';

/**
 * AUDIT_API as the audit domain offers it (global in the app): records what it is asked to write, after running
 * `inspect` (which may look into the caller's transaction, or throw as a failing audit trail would).
 */
export class TestAudit implements AuditApi {
  readonly records: Array<{ tx: AuditTx | undefined; input: AdminActionInput }> = [];
  inspect: ((tx: AuditTx | undefined, input: AdminActionInput) => Promise<void>) | undefined;

  async record(tx: AuditTx | undefined, input: AdminActionInput): Promise<AuditRecordRef> {
    await this.inspect?.(tx, input);
    this.records.push({ tx, input });
    return { id: randomUUID(), seq: BigInt(this.records.length), hash: '0'.repeat(64) };
  }
}

export interface UserTestModule {
  moduleRef: TestingModule;
  audit: TestAudit;
  close(): Promise<void>;
}

/** UserModule as the app wires it (http role: no workers), on a database and Redis namespace of its own. */
export async function startUserModule(): Promise<UserTestModule> {
  const database = await createTestDatabase();
  const redis = createTestRedisNamespace();
  const env = testEnv(database, redis, { BITRO_ROLES: 'http' });
  const audit = new TestAudit();
  @Global()
  @Module({ providers: [{ provide: AUDIT_API, useValue: audit }], exports: [AUDIT_API] })
  class AuditDomain {}

  const moduleRef = await Test.createTestingModule({ imports: [ConfigModule.forRoot(env), DbModule, MessagingModule, AuthModule, AuditDomain, UserModule] }).compile();
  await moduleRef.init();
  return {
    moduleRef,
    audit,
    async close() {
      await moduleRef.close();
      await database.drop();
      await redis.clear();
    },
  };
}
