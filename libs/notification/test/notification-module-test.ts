import { randomUUID } from 'node:crypto';
import { USER_API } from '@bitro/service-api';
import { TestUsers } from '@bitro/service-api/testing';
import { type ModuleTest, startModuleTest } from '@bitro/testing';
import { NotificationModule } from '../src';
import { DeliveryDispatch } from '../src/features/delivery/delivery-dispatch';

/**
 * NotificationModule on the module test harness, served over HTTP, with `users` as USER_API. Only the `http` role
 * unless `env` says otherwise, so deliveries are sent when a test runs {@link dispatchDeliveries}.
 */
export function startNotificationModule(env: Record<string, string> = {}, users = new TestUsers()): Promise<ModuleTest> {
  return startModuleTest({
    module: NotificationModule,
    stubs: [{ provide: USER_API, useValue: users }],
    env: { NOTIFICATION_BACKOFF_MS: '100', ...env },
    http: true,
  });
}

/** A new user and an access token of theirs. */
export function newUser(mod: ModuleTest): { userId: string; token: string } {
  const userId = randomUUID();
  return { userId, token: mod.token({ userId }) };
}

/** One run of the delivery dispatch, as the `worker` role's schedule does: sends what is due; how many it attempted. */
export function dispatchDeliveries(mod: ModuleTest): Promise<number> {
  return mod.get(DeliveryDispatch).run();
}
