import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestApp, type TestApp } from './test-app';

interface Session {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: { id: string; email: string; role: string; displayName: string };
}

let api: TestApp;

beforeAll(async () => {
  api = await startTestApp({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_MAX_ATTEMPTS_PER_IP: '1000', SIGNUP_MAX_PER_IP: '1000' });
});
afterAll(() => api?.close());

const signup = (email: string, password = 'correct horse battery', displayName = 'Kim') =>
  call(api.url, 'POST', '/v1/auth/signup', { body: { email, password, displayName } });
const login = (email: string, password = 'correct horse battery') => call<Session>(api.url, 'POST', '/v1/auth/login', { body: { email, password } });
/** Signs up and in: the session of a new account. */
const session = async (email: string, password = 'correct horse battery'): Promise<Session> => {
  expect((await signup(email, password)).status).toBe(202);
  const signedIn = await login(email, password);
  expect(signedIn.status).toBe(200);
  return signedIn.body;
};

describe('accounts and sessions', () => {
  it('signup → login → /v1/me → refresh → reuse of the old refresh token revokes the family', async () => {
    const created = await signup('Flow@Example.com');
    expect(created.status).toBe(202);
    expect(created.body).toEqual({ status: 'accepted', detail: expect.any(String) });

    const first = await login('flow@example.com');
    expect(first.body.user).toMatchObject({ email: 'flow@example.com', role: 'user', displayName: 'Kim', emailVerified: false, twoFactorEnabled: false });
    expect(first.body).not.toHaveProperty('user.passwordHash');
    const signedIn = await login('flow@example.com');
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.expiresIn).toBe(900);

    const me = await call(api.url, 'GET', '/v1/me', { token: signedIn.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: first.body.user.id, email: 'flow@example.com' });

    const refreshed = await call<Session>(api.url, 'POST', '/v1/auth/refresh', { body: { refreshToken: signedIn.body.refreshToken } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).not.toBe(signedIn.body.refreshToken);

    const reused = await call(api.url, 'POST', '/v1/auth/refresh', { body: { refreshToken: signedIn.body.refreshToken } });
    expect(reused.status).toBe(401);
    expect(reused.headers.get('content-type')).toContain('application/problem+json');
    expect(reused.body['type']).toBe('https://bitro.dev/problems/invalid-refresh-token');

    // The rotated token of the same family is now revoked too...
    const afterReuse = await call(api.url, 'POST', '/v1/auth/refresh', { body: { refreshToken: refreshed.body.refreshToken } });
    expect(afterReuse.status).toBe(401);
    // ...while the first session, another family, still works.
    const otherFamily = await call(api.url, 'POST', '/v1/auth/refresh', { body: { refreshToken: first.body.refreshToken } });
    expect(otherFamily.status).toBe(200);
  });

  it('lets only one of several concurrent refreshes with the same token through', async () => {
    const created = { body: await session('race@example.com') };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => call<Session>(api.url, 'POST', '/v1/auth/refresh', { body: { refreshToken: created.body.refreshToken } })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 401, 401, 401, 401]);
    // The losers presented a used token: the family, including the winner's new token, is revoked.
    const winner = answers.find((a) => a.status === 200);
    const after = await call(api.url, 'POST', '/v1/auth/refresh', { body: { refreshToken: winner?.body.refreshToken } });
    expect(after.status).toBe(401);
  });

  it('answers a taken e-mail exactly like a new one, and keeps the first account and its password', async () => {
    const fresh = await signup('dup@example.com');
    const again = await signup('DUP@example.com ', 'the squatter password');
    expect(fresh.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body).toEqual(fresh.body);
    expect((await login('dup@example.com')).status).toBe(200);
    expect((await login('dup@example.com', 'the squatter password')).status).toBe(401);
  });

  it('answers a wrong password and an unknown e-mail the same way', async () => {
    await session('same401@example.com');
    const wrong = await call(api.url, 'POST', '/v1/auth/login', { body: { email: 'same401@example.com', password: 'wrong password!' } });
    const unknown = await call(api.url, 'POST', '/v1/auth/login', { body: { email: 'nobody@example.com', password: 'wrong password!' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const strip = (body: Record<string, unknown>) => ({ ...body, requestId: undefined });
    expect(strip(wrong.body)).toEqual(strip(unknown.body));
  });

  it('never makes an admin through signup', async () => {
    const attempt = await call(api.url, 'POST', '/v1/auth/signup', {
      body: { email: 'sneaky@example.com', password: 'correct horse battery', displayName: 'S', role: 'admin' },
    });
    expect(attempt.status).toBe(400);
    expect(attempt.body['errors']).toEqual([{ in: 'body', pointer: '/role', message: 'is not a known field' }]);
  });

  it('validates signup fields and names each one at fault', async () => {
    const bad = await call(api.url, 'POST', '/v1/auth/signup', { body: { email: 'not-an-email', password: 'short', displayName: '' } });
    expect(bad.status).toBe(400);
    const pointers = (bad.body['errors'] as Array<{ pointer: string }>).map((e) => e.pointer).sort();
    expect(pointers).toEqual(['/displayName', '/email', '/password']);
  });

  it('throttles failed logins per account with 429 and Retry-After, across the counter in Redis', async () => {
    await session('throttle@example.com');
    for (let i = 0; i < 3; i++) {
      const failed = await call(api.url, 'POST', '/v1/auth/login', { body: { email: 'throttle@example.com', password: 'nope nope nope' } });
      expect(failed.status).toBe(401);
    }
    const blocked = await call(api.url, 'POST', '/v1/auth/login', { body: { email: 'throttle@example.com', password: 'correct horse battery' } });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(blocked.body['type']).toBe('https://bitro.dev/problems/too-many-login-attempts');
  });

  it('changes the display name and, with the current password, the password (ending every session)', async () => {
    const created = { body: await session('patch@example.com') };
    const token = created.body.accessToken;
    const renamed = await call(api.url, 'PATCH', '/v1/me', { token, body: { displayName: 'Lee' } });
    expect(renamed).toMatchObject({ status: 200, body: { displayName: 'Lee' } });

    const wrong = await call(api.url, 'PATCH', '/v1/me', { token, body: { currentPassword: 'not it at all', newPassword: 'a brand new password' } });
    expect(wrong.status).toBe(403);

    const changed = await call(api.url, 'PATCH', '/v1/me', { token, body: { currentPassword: 'correct horse battery', newPassword: 'a brand new password' } });
    expect(changed.status).toBe(200);
    const oldSession = await call(api.url, 'POST', '/v1/auth/refresh', { body: { refreshToken: created.body.refreshToken } });
    expect(oldSession.status).toBe(401);
    const login = await call(api.url, 'POST', '/v1/auth/login', { body: { email: 'patch@example.com', password: 'a brand new password' } });
    expect(login.status).toBe(200);
  });

  it('ends a session on logout', async () => {
    const created = { body: await session('logout@example.com') };
    const out = await call(api.url, 'POST', '/v1/auth/logout', { body: { refreshToken: created.body.refreshToken } });
    expect(out.status).toBe(204);
    const refresh = await call(api.url, 'POST', '/v1/auth/refresh', { body: { refreshToken: created.body.refreshToken } });
    expect(refresh.status).toBe(401);
  });

  it('needs a valid access token for /v1/me', async () => {
    const none = await call(api.url, 'GET', '/v1/me');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    const garbage = await call(api.url, 'GET', '/v1/me', { token: 'not.a.jwt' });
    expect(garbage.status).toBe(401);
    expect(garbage.body['type']).toBe('https://bitro.dev/problems/invalid-token');
  });

  it('never logs passwords or tokens', async () => {
    const created = { body: await session('logs@example.com', 'very secret password 123') };
    await call(api.url, 'GET', '/v1/me', { token: created.body.accessToken });
    const raw = api.rawLogs();
    expect(raw).toContain('"reqId"');
    expect(raw).not.toContain('very secret password 123');
    expect(raw).not.toContain(created.body.accessToken);
    expect(raw).not.toContain(created.body.refreshToken);
  });
});
