import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type JsonResponse, signUp, startTestApp, type TestApp } from './test-app';

let api: TestApp;
const PASSWORD = 'correct horse battery';

beforeAll(async () => {
  api = await startTestApp({
    LOG_LEVEL: 'warn',
    LOGIN_MAX_FAILURES_PER_ACCOUNT: '5',
    LOGIN_MAX_ATTEMPTS_PER_IP: '1000',
    SIGNUP_MAX_PER_IP: '12',
    SIGNUP_MAX_PER_EMAIL: '2',
    PASSWORD_CHANGE_MAX_FAILURES: '3',
  });
});
afterAll(() => api?.close());

const login = (email: string, password: string) => call(api.url, 'POST', '/v1/auth/login', { body: { email, password } });
const signup = (email: string) => call(api.url, 'POST', '/v1/auth/signup', { body: { email, password: PASSWORD, displayName: 'T' } });
const statuses = (answers: JsonResponse[]) => answers.map((answer) => answer.status);

function expectThrottled(answer: JsonResponse, code: string): void {
  expect(answer.status).toBe(429);
  expect(answer.body).toMatchObject({ type: `https://bitro.dev/problems/${code}` });
  expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
}

describe('per-account login limit under concurrency', () => {
  it('20 parallel wrong passwords: only the first 5 are checked, the rest get 429', async () => {
    const { email } = await signUp(api);
    const answers = await Promise.all(Array.from({ length: 20 }, () => login(email, 'wrong password!')));
    expect(statuses(answers).filter((status) => status === 401)).toHaveLength(5);
    expect(statuses(answers).filter((status) => status === 429)).toHaveLength(15);
  });

  it('30 parallel guesses including the right password: once over the limit the right one does not get in', async () => {
    const { email } = await signUp(api);
    const guesses = Array.from({ length: 29 }, () => login(email, 'wrong password!'));
    // Sent after the others are on their way: by the time it is counted, the account is over its limit.
    await new Promise((resolve) => setTimeout(resolve, 30));
    const right = await login(email, PASSWORD);
    const answers = await Promise.all(guesses);
    expect(statuses(answers).filter((status) => status === 200)).toEqual([]);
    expectThrottled(right, 'too-many-login-attempts');
  });
});

describe('password change throttle', () => {
  it('a stolen access token cannot guess the current password without limit', async () => {
    const user = await signUp(api);
    const change = (currentPassword: string) => call(api.url, 'PATCH', '/v1/me', { token: user.token, body: { currentPassword, newPassword: 'a whole new password' } });
    for (let i = 0; i < 3; i++) expect((await change(`guess number ${i}`)).status).toBe(403);
    expectThrottled(await change(PASSWORD), 'too-many-password-attempts');
    // The password is unchanged.
    expect((await login(user.email, PASSWORD)).status).toBe(200);
  });
});

describe('signup throttles and enumeration', () => {
  it('limits signups per e-mail address before any hashing, with the same answer as for an unused address', async () => {
    const email = `twice-${randomUUID()}@example.com`;
    expect((await signup(email)).status).toBe(202);
    const timed = async () => {
      const started = performance.now();
      const answer = await signup(email);
      return { answer, ms: performance.now() - started };
    };
    const second = await timed();
    expect(second.answer.status).toBe(202);
    const third = await timed();
    // A refused attempt spends no argon2 hash, which is most of an accepted signup's time.
    expect(third.ms).toBeLessThan(second.ms);
    expectThrottled(third.answer, 'too-many-signups');
    expect(third.answer.body['detail']).toContain('for this e-mail address');
  });

  it('limits signups per IP, whatever the addresses', async () => {
    const answers: JsonResponse[] = [];
    for (let i = 0; i < 12; i++) answers.push(await signup(`ip-${i}-${randomUUID()}@example.com`));
    const over = answers.find((answer) => answer.status === 429);
    expect(over).toBeDefined();
    if (over) {
      expectThrottled(over, 'too-many-signups');
      expect(over.body['detail']).toContain('from this address');
    }
  });
});
