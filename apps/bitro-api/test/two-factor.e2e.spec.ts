import { randomUUID } from 'node:crypto';
import { PG_POOL } from '@bitro/db';
import { expectProblem, totpCode } from '@bitro/testing';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signInAdmin, signUp, startTestApp, type TestApp } from './test-app';

let api: TestApp;
let pool: Pool;
const PASSWORD = 'correct horse battery';

beforeAll(async () => {
  api = await startTestApp({ LOG_LEVEL: 'warn', LOGIN_MAX_FAILURES_PER_ACCOUNT: '50' });
  pool = api.app.get(PG_POOL);
});
afterAll(() => api?.close());


const login = (email: string, totp?: string) => call<{ accessToken: string }>(api.url, 'POST', '/v1/auth/login', { body: { email, password: PASSWORD, ...(totp ? { totp } : {}) } });

const audited = async (userId: string) =>
  (await pool.query<{ action: string }>(`SELECT payload->>'action' AS action FROM "audit"."records" WHERE type = 'admin.action' AND payload->>'subject' = $1 ORDER BY seq`, [`user:${userId}`])).rows.map(
    (row) => row.action,
  );

/** Enrols the user: returns the otpauth URI and the recovery codes. */
async function enrol(token: string): Promise<{ uri: string; recoveryCodes: string[] }> {
  const begun = await call<{ secret: string; otpauthUri: string }>(api.url, 'POST', '/v1/me/two-factor', { token });
  expect(begun.status).toBe(201);
  expect(begun.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/Bitro:.+\?.*secret=/);
  expectProblem(await call(api.url, 'POST', '/v1/me/two-factor/confirm', { token, body: { code: '000000' === totpCode(begun.body.otpauthUri) ? '111111' : '000000' } }), 403, 'invalid-two-factor-code');
  const confirmed = await call<{ recoveryCodes: string[] }>(api.url, 'POST', '/v1/me/two-factor/confirm', { token, body: { code: totpCode(begun.body.otpauthUri, -1) } });
  expect(confirmed.status).toBe(200);
  expect(confirmed.body.recoveryCodes).toHaveLength(10);
  return { uri: begun.body.otpauthUri, recoveryCodes: confirmed.body.recoveryCodes };
}

describe('TOTP second factor', () => {
  it('enrols with a first code; then login needs a code, each code works once, recovery codes once; stored hashed; audited', async () => {
    const user = await signUp(api);
    const { uri, recoveryCodes } = await enrol(user.token);
    expect((await call(api.url, 'GET', '/v1/me', { token: user.token })).body).toMatchObject({ twoFactorEnabled: true });

    const without = await login(user.email);
    expectProblem(without, 401, 'two-factor-required');
    expect((without.body as unknown as { errors: unknown }).errors).toEqual([expect.objectContaining({ in: 'body', pointer: '/totp' })]);
    const code = totpCode(uri);
    expect((await login(user.email, code)).status).toBe(200);
    expectProblem(await login(user.email, code), 401, 'invalid-two-factor-code');
    // The step before the one just used is older: refused too.
    expectProblem(await login(user.email, totpCode(uri, -1)), 401, 'invalid-two-factor-code');

    const [recovery = ''] = recoveryCodes;
    expect((await login(user.email, recovery.toUpperCase())).status).toBe(200);
    expectProblem(await login(user.email, recovery), 401, 'invalid-two-factor-code');
    const { rows } = await pool.query<{ code_hash: string }>(`SELECT code_hash FROM "user"."recovery_codes" WHERE user_id = $1`, [user.id]);
    expect(rows).toHaveLength(10);
    expect(JSON.stringify(rows)).not.toContain(recovery);

    expectProblem(await call(api.url, 'POST', '/v1/me/two-factor/remove', { token: user.token, body: { code: 'not-a-code' } }), 403, 'invalid-two-factor-code');
    expect((await call(api.url, 'POST', '/v1/me/two-factor/remove', { token: user.token, body: { code: recoveryCodes[1] } })).status).toBe(204);
    expect((await login(user.email)).status).toBe(200);
    expect(await audited(user.id)).toEqual(['user.two-factor-enrol', 'user.two-factor-remove']);
  });

  it('each withdrawal needs a fresh code in TOTP-Code', async () => {
    const user = await signUp(api);
    const { uri } = await enrol(user.token);
    // Below the minimum: refused with 422 only once the second factor passed, before the gateway is asked.
    const withdraw = (code?: string) =>
      call(api.url, 'POST', '/v1/wallet/withdrawals', {
        token: user.token,
        body: { address: 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080', amountSats: '1' },
        headers: { 'idempotency-key': randomUUID(), ...(code ? { 'totp-code': code } : {}) },
      });
    const missing = await withdraw();
    expectProblem(missing, 403, 'two-factor-required');
    expect(missing.body['errors']).toEqual([expect.objectContaining({ in: 'header', pointer: '/TOTP-Code' })]);
    const code = totpCode(uri);
    expectProblem(await withdraw(code), 422, 'amount-too-small');
    expectProblem(await withdraw(code), 403, 'invalid-two-factor-code');
  });

  it('admins without a second factor get 403 two-factor-required on admin routes until they enrol', async () => {
    const admin = await signInAdmin(api);
    expect((await call(api.url, 'GET', '/v1/admin/users', { token: admin.token })).status).toBe(200);
    const next = totpCode(admin.otpauthUri, 1);
    expect((await call(api.url, 'POST', '/v1/me/two-factor/remove', { token: admin.token, body: { code: next } })).status).toBe(204);
    expectProblem(await call(api.url, 'GET', '/v1/admin/users', { token: admin.token }), 403, 'two-factor-required');
    const dashboard = await fetch(`${api.url}/admin/queues`, { headers: { authorization: `Bearer ${admin.token}` } });
    expect(dashboard.status).toBe(403);
    const { uri } = await enrol(admin.token);
    expect(uri).not.toBe(admin.otpauthUri);
    expect((await call(api.url, 'GET', '/v1/admin/users', { token: admin.token })).status).toBe(200);
  });
});
