import { randomUUID } from 'node:crypto';
import { USER_API, type UserApi, UserNotActiveError } from '@bitro/service-api';
import { type ModuleTest, RecordingAudit } from '@bitro/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UserDirectory } from '../src/features/users/user-directory';
import { AdminUserNotFoundError, CannotFreezeSelfError, UserFreezing } from '../src/features/users/user-freezing';
import { UserPrisma } from '../src/persistence/user-prisma';
import { startUserModule } from './user-module-test';

const audit = new RecordingAudit();
let mod: ModuleTest;
let directory: UserDirectory;
let freezing: UserFreezing;
let users: UserApi;
let prisma: UserPrisma;
let clock = Date.parse('2026-01-01T00:00:00Z');

/** A user created one second after the previous one, so "newest first" is well defined. */
async function newUser(email: string, role: 'user' | 'admin' = 'user'): Promise<string> {
  clock += 1000;
  const user = await prisma.user.create({ data: { email, passwordHash: 'unused', displayName: email, role, createdAt: new Date(clock) } });
  return user.id;
}

const statusOf = async (id: string): Promise<string | undefined> => (await mod.pool.query<{ status: string }>(`SELECT status FROM "user"."users" WHERE id = $1`, [id])).rows[0]?.status;

beforeAll(async () => {
  mod = await startUserModule({ audit });
  directory = mod.get(UserDirectory);
  freezing = mod.get(UserFreezing);
  users = mod.get(USER_API);
  prisma = mod.get(UserPrisma);
});

afterAll(async () => {
  await mod?.close();
});

beforeEach(() => audit.reset());

describe('UserDirectory.search', () => {
  let ids: Record<'alice' | 'bob' | 'bobx' | 'percent' | 'root', string>;

  beforeAll(async () => {
    ids = {
      alice: await newUser('alice@shop.example'),
      bob: await newUser('bob_smith@shop.example'),
      bobx: await newUser('bobxsmith@shop.example'),
      percent: await newUser('100%real@other.example'),
      root: await newUser('root@shop.example', 'admin'),
    };
    await prisma.user.update({ where: { id: ids.alice }, data: { status: 'frozen' } });
  });

  const emails = async (input: Parameters<UserDirectory['search']>[0]) => (await directory.search(input)).items.map((user) => user.email);

  it('finds by a case-insensitive part of the e-mail, newest first, taking % and _ literally', async () => {
    expect(await emails({ q: 'SHOP.example' })).toEqual(['root@shop.example', 'bobxsmith@shop.example', 'bob_smith@shop.example', 'alice@shop.example']);
    expect(await emails({ q: 'bob_' })).toEqual(['bob_smith@shop.example']);
    expect(await emails({ q: '0%r' })).toEqual(['100%real@other.example']);
    expect(await emails({ q: '%' })).toEqual(['100%real@other.example']);
    expect(await emails({ q: 'nobody' })).toEqual([]);
  });

  it('finds by exact id, and filters by status and role', async () => {
    expect(await emails({ q: ids.bob.toUpperCase() })).toEqual(['bob_smith@shop.example']);
    expect(await emails({ q: randomUUID() })).toEqual([]);
    expect(await emails({ q: 'shop', status: 'frozen' })).toEqual(['alice@shop.example']);
    expect(await emails({ q: 'shop', role: 'admin' })).toEqual(['root@shop.example']);
    expect(await emails({ q: 'shop', role: 'admin', status: 'frozen' })).toEqual([]);
  });

  it('pages with a keyset cursor until nextCursor is null', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 5; page++) {
      const result = await directory.search({ q: 'shop', limit: 3, cursor });
      seen.push(...result.items.map((user) => user.email));
      if (result.nextCursor === null) break;
      cursor = result.nextCursor;
    }
    expect(seen).toEqual(['root@shop.example', 'bobxsmith@shop.example', 'bob_smith@shop.example', 'alice@shop.example']);
  });

  it('shows what an admin needs and nothing secret', async () => {
    const [alice] = (await directory.search({ q: ids.alice })).items;
    expect(alice).toEqual({ id: ids.alice, email: 'alice@shop.example', role: 'user', status: 'frozen', createdAt: expect.any(String) });
    expect(await directory.get(ids.root)).toMatchObject({ id: ids.root, role: 'admin', status: 'active' });
    expect(await directory.get(randomUUID())).toBeNull();
    expect(await directory.get('not-a-uuid')).toBeNull();
  });

  it('refuses a limit outside 1-100', async () => {
    await expect(directory.search({ limit: 0 })).rejects.toThrow();
    await expect(directory.search({ limit: 101 })).rejects.toThrow();
  });
});

describe('UserFreezing.freeze and unfreeze', () => {
  it('freezes in one transaction with its audit record, and assertActive then refuses the user', async () => {
    const actorId = await newUser(`admin-${randomUUID()}@example.com`, 'admin');
    const userId = await newUser(`frozen-${randomUUID()}@example.com`);
    let seenInTx: string | undefined;
    audit.inspect = async (tx) => {
      // The audit record is written through the freezing transaction: it sees the change, others do not yet.
      seenInTx = (await tx?.$queryRawUnsafe<Array<{ status: string }>>(`SELECT status::text FROM "user"."users" WHERE id = $1::uuid`, userId))?.[0]?.status;
      expect(await statusOf(userId)).toBe('active');
    };

    const result = await freezing.freeze({ userId, actorId, reason: ' chargeback reported ' });
    expect(result).toEqual({ changed: true, user: expect.objectContaining({ id: userId, status: 'frozen', frozenAt: expect.any(String), frozenReason: 'chargeback reported' }) });
    expect(seenInTx).toBe('frozen');
    expect(audit.records).toEqual([
      { tx: expect.anything(), input: { action: 'user.freeze', actorId, subject: `user:${userId}`, details: { reason: 'chargeback reported' } } },
    ]);
    expect(await statusOf(userId)).toBe('frozen');

    const refused = await users.assertActive(userId).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(UserNotActiveError);
    expect(refused).toMatchObject({ reason: 'frozen' });
  });

  it('does nothing, and audits nothing, when the user already is in the target state', async () => {
    const actorId = await newUser(`admin-${randomUUID()}@example.com`, 'admin');
    const userId = await newUser(`twice-${randomUUID()}@example.com`);
    const first = await freezing.freeze({ userId, actorId, reason: 'first' });
    const again = await freezing.freeze({ userId, actorId, reason: 'second' });
    expect(again).toEqual({ changed: false, user: first.user });
    expect(audit.records).toHaveLength(1);

    const active = await newUser(`active-${randomUUID()}@example.com`);
    expect(await freezing.unfreeze({ userId: active, actorId, reason: 'nothing to lift' })).toMatchObject({ changed: false, user: { status: 'active' } });
    expect(audit.records).toHaveLength(1);
  });

  it('unfreezes: active again, the freeze fields cleared, audited', async () => {
    const actorId = await newUser(`admin-${randomUUID()}@example.com`, 'admin');
    const userId = await newUser(`thaw-${randomUUID()}@example.com`);
    await freezing.freeze({ userId, actorId, reason: 'check' });
    const result = await freezing.unfreeze({ userId, actorId, reason: 'checked, all fine' });
    expect(result.changed).toBe(true);
    expect(result.user).toEqual({ id: userId, email: expect.any(String), role: 'user', status: 'active', createdAt: expect.any(String) });
    expect(audit.actions).toEqual([
      expect.objectContaining({ action: 'user.freeze' }),
      { action: 'user.unfreeze', actorId, subject: `user:${userId}`, details: { reason: 'checked, all fine' } },
    ]);
    await expect(users.assertActive(userId)).resolves.toMatchObject({ status: 'active' });
  });

  it('rolls the freeze back when its audit record cannot be written', async () => {
    const actorId = await newUser(`admin-${randomUUID()}@example.com`, 'admin');
    const userId = await newUser(`rollback-${randomUUID()}@example.com`);
    audit.inspect = async () => {
      throw new Error('audit trail down');
    };
    await expect(freezing.freeze({ userId, actorId, reason: 'suspicious' })).rejects.toThrow('audit trail down');
    expect(await statusOf(userId)).toBe('active');
    expect(await directory.get(userId)).not.toHaveProperty('frozenAt');
    await expect(users.assertActive(userId)).resolves.toMatchObject({ status: 'active' });
  });

  it('refuses unknown users and an admin freezing themself; freezing another admin is allowed', async () => {
    const actorId = await newUser(`admin-${randomUUID()}@example.com`, 'admin');
    const otherAdmin = await newUser(`admin-${randomUUID()}@example.com`, 'admin');
    const unknown = randomUUID();
    await expect(freezing.freeze({ userId: unknown, actorId, reason: 'x' })).rejects.toEqual(new AdminUserNotFoundError(unknown));
    await expect(freezing.unfreeze({ userId: unknown, actorId, reason: 'x' })).rejects.toBeInstanceOf(AdminUserNotFoundError);
    await expect(freezing.freeze({ userId: actorId, actorId, reason: 'x' })).rejects.toBeInstanceOf(CannotFreezeSelfError);
    await expect(freezing.unfreeze({ userId: actorId, actorId, reason: 'x' })).rejects.toBeInstanceOf(CannotFreezeSelfError);
    expect(await freezing.freeze({ userId: otherAdmin, actorId, reason: 'compromised' })).toMatchObject({ changed: true, user: { role: 'admin', status: 'frozen' } });
    expect(audit.records).toHaveLength(1);
  });

  it('validates the input: a reason of 1-500 characters, uuids', async () => {
    const actorId = await newUser(`admin-${randomUUID()}@example.com`, 'admin');
    const userId = await newUser(`invalid-${randomUUID()}@example.com`);
    for (const reason of ['', '   ', 'x'.repeat(501)]) await expect(freezing.freeze({ userId, actorId, reason })).rejects.toThrow();
    await expect(freezing.freeze({ userId: 'nope', actorId, reason: 'x' })).rejects.toThrow();
    expect(await statusOf(userId)).toBe('active');
    expect((await freezing.freeze({ userId, actorId, reason: 'x'.repeat(500) })).changed).toBe(true);
  });
});
