import { USER_PROVISIONING_API, type UserProvisioningApi, userLoginNewDeviceV1 } from '@bitro/service-api';
import { type ModuleTest, totpCode } from '@bitro/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUserModule } from './user-module-test';
import { Authentication } from '../src/features/auth/authentication';
import { deviceHashOf } from '../src/features/auth/known-devices';

let mod: ModuleTest;
let auth: Authentication;

const PASSWORD = 'correct horse battery';
const laptop = { userAgent: 'Mozilla/5.0 (Macintosh) Firefox/140.0', ip: '203.0.113.7' };
const phone = { userAgent: 'Bitro/2.1 (iPhone; iOS 18)', ip: '198.51.100.9' };

beforeAll(async () => {
  mod = await startUserModule();
  auth = mod.get(Authentication);
});

afterAll(async () => {
  await mod?.close();
});

/** The devices of the user's new-device logins announced so far, oldest first. */
async function announced(userId: string): Promise<Array<{ userAgent: string; ip: string }>> {
  const events = await mod.events(userLoginNewDeviceV1);
  return events.filter(({ payload }) => payload.userId === userId).map(({ payload }) => ({ userAgent: payload.userAgent, ip: payload.ip }));
}

describe('known devices', () => {
  it('announces a login from a device the account has not used, once, and never the first one', async () => {
    await auth.signup({ email: 'devices@example.com', password: PASSWORD, displayName: 'Lee' }, laptop);
    const userId = (await auth.login({ email: 'devices@example.com', password: PASSWORD }, laptop)).user.id;
    expect(await announced(userId)).toEqual([]);

    await auth.login({ email: 'devices@example.com', password: PASSWORD }, phone);
    expect(await announced(userId)).toEqual([phone]);
    await auth.login({ email: 'devices@example.com', password: PASSWORD }, phone);
    expect(await announced(userId)).toEqual([phone]);

    const { rows } = await mod.pool.query<{ device_hash: string }>(`SELECT device_hash FROM "user"."known_devices" WHERE user_id = $1 ORDER BY first_seen_at`, [userId]);
    expect(rows.map((row) => row.device_hash)).toEqual([deviceHashOf(laptop.userAgent), deviceHashOf(phone.userAgent)]);
  });

  it('does not announce the first login ever of an account created without a session', async () => {
    const provisioning = mod.get<UserProvisioningApi>(USER_PROVISIONING_API);
    const { user, otpauthUri = '' } = await provisioning.createAdmin({ email: 'first-login@example.com', password: PASSWORD, displayName: 'Ops' });
    await auth.login({ email: 'first-login@example.com', password: PASSWORD, totp: totpCode(otpauthUri, -1) }, laptop);
    expect(await announced(user.id)).toEqual([]);
    await auth.login({ email: 'first-login@example.com', password: PASSWORD, totp: totpCode(otpauthUri) }, phone);
    expect(await announced(user.id)).toHaveLength(1);
  });

  it('announces nothing and remembers nothing for a failed login', async () => {
    await auth.signup({ email: 'failed@example.com', password: PASSWORD, displayName: 'Park' }, laptop);
    const userId = (await auth.login({ email: 'failed@example.com', password: PASSWORD }, laptop)).user.id;
    await expect(auth.login({ email: 'failed@example.com', password: 'wrong password!!' }, phone)).rejects.toMatchObject({ status: 401 });
    expect(await announced(userId)).toEqual([]);
    const { rows } = await mod.pool.query(`SELECT 1 FROM "user"."known_devices" WHERE user_id = $1`, [userId]);
    expect(rows).toHaveLength(1);
  });
});
