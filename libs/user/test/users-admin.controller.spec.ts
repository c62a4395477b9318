import { randomUUID } from 'node:crypto';
import type { WalletApi, WalletBalance } from '@bitro/service-api';
import { type ModuleTest, RecordingAudit } from '@bitro/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UserDirectory } from '../src/features/users/user-directory';
import { AdminUserNotFoundError, CannotFreezeSelfError, UserFreezing } from '../src/features/users/user-freezing';
import type { AdminUserView, SearchUsersInput, UserStatusChangeInput } from '../src/features/users/users.contracts';
import { expectProblem, startUserModule } from './user-module-test';

/** UserDirectory and UserFreezing over a fixed set of users, remembering what they were asked. */
class TestUserAdmin implements Pick<UserDirectory, 'search' | 'get'>, Pick<UserFreezing, 'freeze' | 'unfreeze'> {
  readonly users = new Map<string, AdminUserView>();
  readonly searches: SearchUsersInput[] = [];
  readonly changes: Array<{ verb: 'freeze' | 'unfreeze'; input: UserStatusChangeInput }> = [];

  add(status: AdminUserView['status'] = 'active'): AdminUserView {
    const user: AdminUserView = { id: randomUUID(), email: `${randomUUID()}@example.com`, role: 'user', status, createdAt: new Date().toISOString() };
    this.users.set(user.id, user);
    return user;
  }

  async search(input: SearchUsersInput) {
    this.searches.push(input);
    return { items: [...this.users.values()].slice(0, 1), nextCursor: null };
  }

  async get(userId: string) {
    return this.users.get(userId) ?? null;
  }

  freeze(input: UserStatusChangeInput) {
    return this.change('freeze', input);
  }

  unfreeze(input: UserStatusChangeInput) {
    return this.change('unfreeze', input);
  }

  private async change(verb: 'freeze' | 'unfreeze', input: UserStatusChangeInput) {
    this.changes.push({ verb, input });
    if (input.userId === input.actorId) throw new CannotFreezeSelfError(input.userId);
    const user = this.users.get(input.userId);
    if (!user) throw new AdminUserNotFoundError(input.userId);
    const status = verb === 'freeze' ? 'frozen' : 'active';
    if (user.status === status) return { user, changed: false };
    const { frozenAt: _at, frozenReason: _reason, ...rest } = user;
    const after: AdminUserView = status === 'frozen' ? { ...rest, status, frozenAt: new Date().toISOString(), frozenReason: input.reason } : { ...rest, status };
    this.users.set(user.id, after);
    return { user: after, changed: true };
  }
}

const users = new TestUserAdmin();
const wallet: Pick<WalletApi, 'balance'> = {
  balance: async (userId): Promise<WalletBalance> => ({ userId, availableSats: 123_456_789n, heldSats: 10_000n }),
};

const audit = new RecordingAudit();
let mod: ModuleTest;
let admin: { id: string; token: string };

beforeAll(async () => {
  mod = await startUserModule({
    http: true,
    audit,
    wallet,
    overrides: [
      { provide: UserDirectory, useValue: users },
      { provide: UserFreezing, useValue: users },
    ],
  });
  const adminId = randomUUID();
  admin = { id: adminId, token: mod.token({ role: 'admin', userId: adminId }) };
});
afterAll(() => mod?.close());
beforeEach(() => {
  audit.reset();
  users.searches.length = 0;
  users.changes.length = 0;
});

const call = <T = Record<string, unknown>>(method: string, path: string, body?: unknown, token = admin.token) => mod.request<T>(method, path, { token, body });

describe('GET /v1/admin/users', () => {
  it('searches with the parsed query and records the search in the audit trail', async () => {
    const user = users.add();
    const answer = await call('GET', '/v1/admin/users?q=%20Example.com%20&status=active&role=user&limit=5');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ items: [expect.objectContaining({ id: expect.any(String) })], nextCursor: null });
    expect(users.searches).toEqual([{ q: 'Example.com', status: 'active', role: 'user', limit: 5 }]);
    expect(audit.actions).toEqual([{ action: 'user.search', actorId: admin.id, subject: 'users', details: { q: 'Example.com', status: 'active', role: 'user', limit: 5 } }]);
    expect(user.id).toBeDefined();
  });

  it('answers every invalid parameter in one problem+json 400 with pointers, and searches nothing', async () => {
    const answer = await call<Record<string, unknown>>('GET', '/v1/admin/users?limit=0&status=asleep&role=root&cursor=nonsense');
    expectProblem(answer, 400, 'validation');
    expect((answer.body['errors'] as Array<{ pointer: string }>).map((error) => error.pointer).sort()).toEqual(['/cursor', '/limit', '/role', '/status']);
    expect(answer.body['errors']).toContainEqual({ in: 'query', pointer: '/cursor', message: 'is not a cursor from a previous page' });
    expect((await call('GET', '/v1/admin/users?limit=101')).status).toBe(400);
    expect(users.searches).toEqual([]);
    expect(audit.records).toEqual([]);
  });

  it('is for admins only', async () => {
    expectProblem(await call('GET', '/v1/admin/users', undefined, mod.token({ role: 'user' })), 403, 'forbidden');
  });
});

describe('GET /v1/admin/users/:id', () => {
  it('shows the user with the wallet balance, and records the view', async () => {
    const user = users.add();
    const answer = await call('GET', `/v1/admin/users/${user.id}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ ...user, wallet: { availableSats: '123456789', heldSats: '10000' } });
    expect(audit.actions).toEqual([{ action: 'user.view', actorId: admin.id, subject: `user:${user.id}` }]);
  });

  it('answers 404 for an unknown user and 400 for a malformed id, recording nothing', async () => {
    expectProblem(await call('GET', `/v1/admin/users/${randomUUID()}`), 404, 'user-not-found');
    const malformed = await call('GET', '/v1/admin/users/not-a-uuid');
    expectProblem(malformed, 400, 'validation');
    expect(malformed.body['errors']).toEqual([{ in: 'path', pointer: '/id', message: expect.any(String) }]);
    expect(audit.records).toEqual([]);
  });
});

describe('POST /v1/admin/users/:id/freeze and /unfreeze', () => {
  it('freezes and unfreezes as the signed-in admin, with the reason', async () => {
    const user = users.add();
    const frozen = await call<{ user: AdminUserView; changed: boolean }>('POST', `/v1/admin/users/${user.id}/freeze`, { reason: ' chargeback ' });
    expect(frozen.status).toBe(200);
    expect(frozen.body).toEqual({ changed: true, user: { ...user, status: 'frozen', frozenAt: expect.any(String), frozenReason: 'chargeback' } });
    expect((await call('POST', `/v1/admin/users/${user.id}/freeze`, { reason: 'again' })).body).toMatchObject({ changed: false });
    const thawed = await call<{ user: AdminUserView; changed: boolean }>('POST', `/v1/admin/users/${user.id}/unfreeze`, { reason: 'resolved' });
    expect(thawed.body).toEqual({ changed: true, user: { ...user, status: 'active' } });
    expect(users.changes).toEqual([
      { verb: 'freeze', input: { userId: user.id, actorId: admin.id, reason: 'chargeback' } },
      { verb: 'freeze', input: { userId: user.id, actorId: admin.id, reason: 'again' } },
      { verb: 'unfreeze', input: { userId: user.id, actorId: admin.id, reason: 'resolved' } },
    ]);
  });

  it('refuses a missing, empty or overlong reason and unknown fields with pointers', async () => {
    const user = users.add();
    for (const [body, pointer] of [
      [{}, '/reason'],
      [{ reason: '  ' }, '/reason'],
      [{ reason: 'x'.repeat(501) }, '/reason'],
      [{ reason: 'ok', extra: true }, '/extra'],
    ] as const) {
      const answer = await call('POST', `/v1/admin/users/${user.id}/freeze`, body);
      expectProblem(answer, 400, 'validation');
      expect(answer.body['errors'], JSON.stringify(body)).toEqual([expect.objectContaining({ in: 'body', pointer })]);
    }
    expect(users.changes).toEqual([]);
  });

  it('answers 404 for an unknown user and 409 cannot-freeze-self for the admin themself', async () => {
    expectProblem(await call('POST', `/v1/admin/users/${randomUUID()}/freeze`, { reason: 'x' }), 404, 'user-not-found');
    expectProblem(await call('POST', `/v1/admin/users/${randomUUID()}/unfreeze`, { reason: 'x' }), 404, 'user-not-found');
    expectProblem(await call('POST', `/v1/admin/users/${admin.id}/freeze`, { reason: 'x' }), 409, 'cannot-freeze-self');
  });
});
