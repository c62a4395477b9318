import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestApp, type TestApp } from './test-app';

// Two replicas of bitro-api on one database and one Redis: the limits must hold across them.
let replicaA: TestApp;
let replicaB: TestApp;
const limits = { LOGIN_MAX_ATTEMPTS_PER_IP: '8', LOGIN_MAX_FAILURES_PER_ACCOUNT: '3' };

beforeAll(async () => {
  replicaA = await startTestApp(limits);
  replicaB = await startTestApp(limits, replicaA);
});
afterAll(async () => {
  await replicaB?.close();
  await replicaA?.close();
});

const login = (replica: TestApp, email: string, password: string) => call(replica.url, 'POST', '/v1/auth/login', { body: { email, password } });

describe('login throttling across replicas', () => {
  it('locks an account after its failures on any replica, and a success resets the count', async () => {
    const signup = await call(replicaA.url, 'POST', '/v1/auth/signup', { body: { email: 'victim@example.com', password: 'the right password', displayName: 'V' } });
    expect(signup.status).toBe(202);

    expect((await login(replicaA, 'victim@example.com', 'guess one!!')).status).toBe(401);
    expect((await login(replicaB, 'victim@example.com', 'guess two!!')).status).toBe(401);
    // A success before the limit clears the failures.
    expect((await login(replicaA, 'victim@example.com', 'the right password')).status).toBe(200);
    for (const replica of [replicaB, replicaA, replicaB]) expect((await login(replica, 'victim@example.com', 'wrong again')).status).toBe(401);

    const locked = await login(replicaA, 'victim@example.com', 'the right password');
    expect(locked.status).toBe(429);
    expect(locked.body['detail']).toContain('for this account');
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(900);
  });

  it('limits the attempts of one IP, whatever the accounts, on every replica', async () => {
    // Every attempt in this file comes from 127.0.0.1: 7 so far, the 8th is the last allowed.
    expect((await login(replicaA, 'someone-else@example.com', 'whatever pass')).status).toBe(401);
    const answer = await login(replicaB, 'someone-else@example.com', 'whatever pass');
    expect(answer.status).toBe(429);
    expect(answer.body['detail']).toContain('from this address');
    expect((await login(replicaA, 'another@example.com', 'whatever pass')).status).toBe(429);
  });
});
