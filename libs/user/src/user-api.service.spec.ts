import type { TestingModule } from '@nestjs/testing';
import { USER_API, USER_PROVISIONING_API, type UserApi, UserNotActiveError, type UserProvisioningApi } from '@bitro/service-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUserModule, type UserTestModule } from '../test/user-test-module';
import { UserPrisma } from './persistence/user-prisma';

let context: UserTestModule;
let moduleRef: TestingModule;
let users: UserApi;
let provisioning: UserProvisioningApi;

beforeAll(async () => {
  context = await startUserModule();
  moduleRef = context.moduleRef;
  users = moduleRef.get(USER_API);
  provisioning = moduleRef.get(USER_PROVISIONING_API);
});

afterAll(async () => {
  await context?.close();
});

describe('UserApi and UserProvisioningApi', () => {
  it('creates an admin, then promotes an existing account instead of duplicating it', async () => {
    const first = await provisioning.createAdmin({ email: 'Ops@Example.com', password: 'operator password', displayName: 'Ops' });
    expect(first.created).toBe(true);
    expect(first.user).toMatchObject({ email: 'ops@example.com', role: 'admin', status: 'active' });

    const again = await provisioning.createAdmin({ email: 'ops@example.com', password: 'another password', displayName: 'Ops' });
    expect(again).toMatchObject({ created: false, user: { id: first.user.id, role: 'admin' } });
  });

  it('finds users and asserts they are active', async () => {
    const { user } = await provisioning.createAdmin({ email: 'active@example.com', password: 'operator password', displayName: 'A' });
    expect(await users.findUser(user.id)).toEqual(user);
    await expect(users.assertActive(user.id)).resolves.toEqual(user);
    expect(await users.findUser('7d0f3c4e-0000-4000-8000-000000000000')).toBeNull();
    await expect(users.assertActive('7d0f3c4e-0000-4000-8000-000000000000')).rejects.toMatchObject({ reason: 'not-found' });

    await moduleRef.get(UserPrisma).user.update({ where: { id: user.id }, data: { status: 'frozen' } });
    const error = await users.assertActive(user.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserNotActiveError);
    expect(error).toMatchObject({ reason: 'frozen' });
  });

  it('stores passwords as argon2id hashes only', async () => {
    const { user } = await provisioning.createAdmin({ email: 'hash@example.com', password: 'operator password', displayName: 'H' });
    const row = await moduleRef.get(UserPrisma).user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(row.passwordHash).not.toContain('operator password');
  });
});
