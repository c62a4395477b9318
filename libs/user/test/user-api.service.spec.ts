import { SessionRevocations } from '@bitro/auth';
import { toProblem } from '@bitro/http';
import { AdminPromotionRefusedError, USER_API, USER_PROVISIONING_API, type UserApi, UserNotActiveError, type UserProvisioningApi } from '@bitro/service-api';
import type { ModuleTest } from '@bitro/testing';
import argon2 from 'argon2';
import { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserApiService } from '../src/api/user-api.service';
import { Authentication } from '../src/features/auth/authentication';
import { TwoFactor } from '../src/features/two-factor/two-factor';
import { UserPrisma } from '../src/persistence/user-prisma';
import { startUserModule } from './user-module-test';
import { UserViews } from '../src/persistence/user-view';

let mod: ModuleTest;
let users: UserApi;
let provisioning: UserProvisioningApi;

beforeAll(async () => {
  mod = await startUserModule();
  users = mod.get(USER_API);
  provisioning = mod.get(USER_PROVISIONING_API);
});

afterAll(async () => {
  await mod?.close();
});

describe('UserApi and UserProvisioningApi', () => {
  it('creates an admin with its e-mail verified and a second factor on, and prints its otpauth URI', async () => {
    const first = await provisioning.createAdmin({ email: 'Ops@Example.com', password: 'operator password', displayName: 'Ops' });
    expect(first).toMatchObject({ created: true, otpauthUri: expect.stringMatching(/^otpauth:\/\/totp\//) });
    expect(first.user).toMatchObject({ email: 'ops@example.com', role: 'admin', status: 'active', emailVerified: true, twoFactorEnabled: true });
  });

  it('refuses an existing account unless promoteExisting, and while its e-mail is unverified', async () => {
    const auth = mod.get(Authentication);
    const device = { userAgent: 'test', ip: '192.0.2.1' };
    await auth.signup({ email: 'squatter@example.com', password: 'squatter password', displayName: 'S' }, device);
    const squatter = await auth.login({ email: 'squatter@example.com', password: 'squatter password' }, device);

    const input = { email: 'squatter@example.com', password: 'operator password', displayName: 'Ops' };
    await expect(provisioning.createAdmin(input)).rejects.toEqual(new AdminPromotionRefusedError('exists'));
    await expect(provisioning.createAdmin({ ...input, promoteExisting: true })).rejects.toEqual(new AdminPromotionRefusedError('email-not-verified'));
    expect(await users.findUser(squatter.user.id)).toMatchObject({ role: 'user' });

    const prisma = mod.get(UserPrisma);
    await prisma.user.update({ where: { id: squatter.user.id }, data: { emailVerifiedAt: new Date() } });
    const promoted = await provisioning.createAdmin({ ...input, promoteExisting: true });
    expect(promoted).toMatchObject({ created: false, user: { id: squatter.user.id, role: 'admin', twoFactorEnabled: true }, otpauthUri: expect.stringMatching(/^otpauth:/) });
    // The password is replaced and every session ended, its access tokens included.
    const row = await prisma.user.findUniqueOrThrow({ where: { id: squatter.user.id } });
    expect(await argon2.verify(row.passwordHash, 'operator password')).toBe(true);
    await expect(auth.refresh(squatter.refreshToken)).rejects.toMatchObject({ status: 401 });
    const revocations = mod.get(SessionRevocations);
    expect(await revocations.isRevoked(JSON.parse(Buffer.from(squatter.accessToken.split('.')[1] ?? '', 'base64url').toString()).sid)).toBe(true);
  });

  it('finds users and asserts they are active', async () => {
    const { user } = await provisioning.createAdmin({ email: 'active@example.com', password: 'operator password', displayName: 'A' });
    expect(await users.findUser(user.id)).toEqual(user);
    await expect(users.assertActive(user.id)).resolves.toEqual(user);
    expect(await users.findUser('7d0f3c4e-0000-4000-8000-000000000000')).toBeNull();
    await expect(users.assertActive('7d0f3c4e-0000-4000-8000-000000000000')).rejects.toMatchObject({ reason: 'not-found' });

    await mod.get(UserPrisma).user.update({ where: { id: user.id }, data: { status: 'frozen' } });
    const error = await users.assertActive(user.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserNotActiveError);
    expect(error).toMatchObject({ reason: 'frozen' });
  });

  it('finds users asked for at once each by its own id (they share one statement)', async () => {
    const created = await Promise.all(['one', 'two'].map((name) => provisioning.createAdmin({ email: `${name}@batch.example.com`, password: 'operator password', displayName: name })));
    const [one, two] = created.map(({ user }) => user);
    const ids = [one?.id, two?.id, '7d0f3c4e-0000-4000-8000-000000000000', 'not-a-uuid', one?.id.toUpperCase()];
    const found = await Promise.all(ids.map((id) => users.findUser(id ?? '')));
    expect(found.map((user) => user?.email ?? null)).toEqual(['one@batch.example.com', 'two@batch.example.com', null, null, 'one@batch.example.com']);
    expect(found[0]).toEqual(one);
  });

  it('tells an unknown id from a database that cannot answer', async () => {
    expect(await users.findUser('not-a-uuid')).toBeNull();
    // A pool on a port nobody listens on: PostgreSQL is "down". That is an error, not "no such user" (which would
    // answer 403 account-not-active during a restart instead of 503).
    const down = new Pool({ connectionString: 'postgresql://postgres@127.0.0.1:1/bitro', connectionTimeoutMillis: 500 });
    const unreachablePrisma = new UserPrisma(down);
    const unreachable = new UserApiService(unreachablePrisma, new UserViews(unreachablePrisma), mod.get(TwoFactor), mod.env);
    await expect(unreachable.assertActive('7d0f3c4e-0000-4000-8000-000000000000')).rejects.not.toBeInstanceOf(UserNotActiveError);
    await down.end();
  });

  it('answers 503, not 500, when no transaction can start in time (every pooled connection busy)', async () => {
    const busy = new Pool({ connectionString: mod.env.DATABASE_URL, max: 1 });
    const prisma = new UserPrisma(busy);
    const held = await busy.connect();
    const error = await prisma.$transaction(async () => undefined, { maxWait: 100 }).catch((e: unknown) => e);
    held.release();
    await prisma.$disconnect();
    await busy.end();
    expect(error).toMatchObject({ code: 'P2028' });
    expect(toProblem(error, '/v1/giftcards/redemptions', 'req').problem).toMatchObject({ status: 503, type: 'https://bitro.dev/problems/dependency-unavailable' });
  });

  it('stores passwords as argon2id hashes only', async () => {
    const { user } = await provisioning.createAdmin({ email: 'hash@example.com', password: 'operator password', displayName: 'H' });
    const row = await mod.get(UserPrisma).user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(row.passwordHash).not.toContain('operator password');
  });
});
