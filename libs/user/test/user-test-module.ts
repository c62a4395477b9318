import { Global, Module } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { AuthModule } from '@bitro/auth';
import { ConfigModule } from '@bitro/config';
import { DbModule } from '@bitro/db';
import { MessagingModule } from '@bitro/messaging';
import { AUDIT_API } from '@bitro/service-api';
import { createTestDatabase, createTestRedisNamespace, RecordingAudit, testEnv } from '@bitro/testing';
import { UserModule } from '../src/user.module';

export interface UserTestModule {
  moduleRef: TestingModule;
  /** AUDIT_API, global as in the app. */
  audit: RecordingAudit;
  close(): Promise<void>;
}

/** UserModule as the app wires it (http role: no workers), on a database and Redis namespace of its own. */
export async function startUserModule(): Promise<UserTestModule> {
  const database = await createTestDatabase();
  const redis = createTestRedisNamespace();
  const env = testEnv(database, redis, { BITRO_ROLES: 'http' });
  const audit = new RecordingAudit();
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
