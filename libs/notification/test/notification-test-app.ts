import { randomUUID } from 'node:crypto';
import { type DynamicModule, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AccessTokens, AuthModule } from '@bitro/auth';
import { ConfigModule } from '@bitro/config';
import { DbModule } from '@bitro/db';
import { deliverEvent, type DomainEvent, MessagingModule } from '@bitro/messaging';
import { USER_API, type UserApi } from '@bitro/service-api';
import { TestUsers } from '@bitro/service-api/testing';
import { createTestDatabase, createTestRedisNamespace, requestJson, type JsonResponse, testEnv, HTTP_CONVENTIONS, listenForTests } from '@bitro/testing';
import { NotificationConsumer } from '../src/events/notification.consumer';
import { DeliveryDispatch } from '../src/features/delivery/delivery-dispatch';
import { NotificationModule } from '../src/notification.module';
import { NotificationPrisma } from '../src/persistence/notification-prisma';

@Module({})
class TestUserModule {
  static forRoot(users: UserApi): DynamicModule {
    return { module: TestUserModule, global: true, providers: [{ provide: USER_API, useValue: users }], exports: [USER_API] };
  }
}

export interface NotificationTestApp {
  url: string;
  users: TestUsers;
  prisma: NotificationPrisma;
  dispatch: DeliveryDispatch;
  newUser(): { userId: string; token: string };
  request<T = Record<string, unknown>>(method: string, path: string, token: string, body?: unknown): Promise<JsonResponse<T>>;
  /** Hands an event to the notification consumer as the messaging workers do (inbox row + handler, one transaction). */
  deliver(event: DomainEvent): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * NotificationModule served over HTTP on a random port, with a fake USER_API; only the `http` role unless `env` says
 * otherwise, so deliveries are sent when a test calls `dispatch.run()`.
 */
export async function startNotificationApp(env: Record<string, string> = {}): Promise<NotificationTestApp> {
  const database = await createTestDatabase();
  const redis = createTestRedisNamespace();
  const users = new TestUsers();
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(testEnv(database, redis, { BITRO_ROLES: 'http', NOTIFICATION_BACKOFF_MS: '100', ...env })),
      DbModule,
      MessagingModule,
      AuthModule,
      TestUserModule.forRoot(users),
      NotificationModule,
    ],
    providers: HTTP_CONVENTIONS,
  }).compile();
  const { app, url } = await listenForTests(moduleRef);
  const tokens = app.get(AccessTokens);
  const consumer = app.get(NotificationConsumer);
  return {
    url,
    users,
    prisma: app.get(NotificationPrisma),
    dispatch: app.get(DeliveryDispatch),
    newUser() {
      const userId = randomUUID();
      return { userId, token: tokens.sign({ sub: userId, role: 'user', sid: randomUUID() }) };
    },
    request: (method, path, token, body) => requestJson(url, method, path, { token, body }),
    deliver: (event) => deliverEvent(consumer, event),
    async close() {
      await app.close();
      await Promise.all([database.drop(), redis.clear()]);
    },
  };
}

