import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signInAdmin, signUp, startTestApp, TEST_JWT_SECRET, type TestApp } from './test-app';

// An access token dies with its session at once, on every replica, not when it expires 15 minutes later.
let replicaA: TestApp;
let replicaB: TestApp;

beforeAll(async () => {
  replicaA = await startTestApp({ LOG_LEVEL: 'warn' });
  replicaB = await startTestApp({ LOG_LEVEL: 'warn' }, replicaA);
});
afterAll(async () => {
  await replicaB?.close();
  await replicaA?.close();
});

const balance = (replica: TestApp, token: string) => call(replica.url, 'GET', '/v1/wallet/balance', { token });

async function expectEnded(token: string): Promise<void> {
  for (const replica of [replicaA, replicaB]) {
    const answer = await balance(replica, token);
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ type: 'https://bitro.dev/problems/invalid-token', detail: expect.stringContaining('session') });
  }
}

describe('access tokens end with their session', () => {
  it('after logout; another session of the same user keeps working', async () => {
    const user = await signUp(replicaA);
    const other = await call<{ accessToken: string }>(replicaA.url, 'POST', '/v1/auth/login', { body: { email: user.email, password: 'correct horse battery' } });
    expect((await balance(replicaB, user.token)).status).toBe(200);
    expect((await call(replicaA.url, 'POST', '/v1/auth/logout', { body: { refreshToken: user.refreshToken } })).status).toBe(204);
    await expectEnded(user.token);
    expect((await balance(replicaB, other.body.accessToken)).status).toBe(200);
  });

  it('after refresh-token reuse revokes the family: the access tokens of both generations die', async () => {
    const user = await signUp(replicaA);
    const rotated = await call<{ accessToken: string }>(replicaA.url, 'POST', '/v1/auth/refresh', { body: { refreshToken: user.refreshToken } });
    expect(rotated.status).toBe(200);
    expect((await balance(replicaA, rotated.body.accessToken)).status).toBe(200);
    expect((await call(replicaB.url, 'POST', '/v1/auth/refresh', { body: { refreshToken: user.refreshToken } })).status).toBe(401);
    await expectEnded(user.token);
    await expectEnded(rotated.body.accessToken);
  });

  it('after a password change: every session of the user', async () => {
    const user = await signUp(replicaA);
    const second = await call<{ accessToken: string }>(replicaA.url, 'POST', '/v1/auth/login', { body: { email: user.email, password: 'correct horse battery' } });
    const changed = await call(replicaA.url, 'PATCH', '/v1/me', { token: user.token, body: { currentPassword: 'correct horse battery', newPassword: 'a new password 2' } });
    expect(changed.status).toBe(200);
    await expectEnded(user.token);
    await expectEnded(second.body.accessToken);
    const fresh = await call<{ accessToken: string }>(replicaB.url, 'POST', '/v1/auth/login', { body: { email: user.email, password: 'a new password 2' } });
    expect((await balance(replicaA, fresh.body.accessToken)).status).toBe(200);
  });

  it('after a freeze', async () => {
    const admin = await signInAdmin(replicaA);
    const user = await signUp(replicaA);
    expect((await balance(replicaA, user.token)).status).toBe(200);
    expect((await call(replicaA.url, 'POST', `/v1/admin/users/${user.id}/freeze`, { token: admin.token, body: { reason: 'chargeback' } })).status).toBe(200);
    await expectEnded(user.token);
  });

  it('refuses a correctly signed token without exp', async () => {
    const user = await signUp(replicaA);
    const eternal = jwt.sign({ sub: user.id, role: 'user', sid: 'f0f0f0f0-0000-4000-8000-000000000000' }, TEST_JWT_SECRET, { algorithm: 'HS256', issuer: 'bitro', audience: 'bitro-api' });
    const answer = await balance(replicaA, eternal);
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ type: 'https://bitro.dev/problems/invalid-token' });
  });
});
