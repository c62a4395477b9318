import { Test, type TestingModule } from '@nestjs/testing';
import { AuthModule } from '@bitro/auth';
import { ConfigModule } from '@bitro/config';
import { DbModule } from '@bitro/db';
import { MessagingModule } from '@bitro/messaging';
import { createTestDatabase, createTestRedisNamespace, testEnv } from '@bitro/testing';
import { UserModule } from '../src/user.module';

export interface UserTestModule {
  moduleRef: TestingModule;
  close(): Promise<void>;
}

/** UserModule as the app wires it (http role: no workers), on a database and Redis namespace of its own. */
export async function startUserModule(): Promise<UserTestModule> {
  const database = await createTestDatabase();
  const redis = createTestRedisNamespace();
  const env = testEnv(database, redis, { BITRO_ROLES: 'http' });
  const moduleRef = await Test.createTestingModule({ imports: [ConfigModule.forRoot(env), DbModule, MessagingModule, AuthModule, UserModule] }).compile();
  await moduleRef.init();
  return {
    moduleRef,
    async close() {
      await moduleRef.close();
      await database.drop();
      await redis.clear();
    },
  };
}
