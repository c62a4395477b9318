import { randomUUID } from 'node:crypto';
import { PG_POOL } from '@bitro/db';
import { totpCode } from '@bitro/testing';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signInAdmin, signUp as signUpUser, startTestApp, type TestApp, until } from './test-app';

let api: TestApp;
let pool: Pool;
let adminToken: string;
/** Sandbox PINs worth 10,000 KRW each (an even digit sum), each used once in this file. */
const pins = ['1000-0000-0000-0001', '1000-0000-0000-0003', '1000-0000-0000-0005', '1000-0000-0000-0007', '1000-0000-0000-0009'];
const freshPin = (): string => {
  const pin = pins.shift();
  if (!pin) throw new Error('out of test PINs');
  return pin;
};

beforeAll(async () => {
  // A user's second card of a day goes over the review amount.
  api = await startTestApp({ LOG_LEVEL: 'warn', OUTBOX_RELAY_INTERVAL_MS: '50', REDEMPTION_REVIEW_DAILY_KRW: '10000' });
  pool = api.app.get(PG_POOL);
  adminToken = (await signInAdmin(api, 'ops@example.com')).token;
});
afterAll(() => api?.close());

async function signUp(): Promise<{ id: string; token: string; email: string }> {
  const { id, token, email } = await signUpUser(api);
  return { id, token, email };
}

const redeem = (token: string) =>
  call<{ id: string; state: string }>(api.url, 'POST', '/v1/giftcards/redemptions', { token, body: { brand: 'cultureland', pin: freshPin() }, headers: { 'idempotency-key': randomUUID() } });

const auditedActions = async (subject: string) =>
  (await pool.query<{ action: string }>(`SELECT payload->>'action' AS action FROM "audit"."records" WHERE type = 'admin.action' AND payload->>'subject' = $1 ORDER BY seq`, [subject])).rows.map(
    (row) => row.action,
  );

describe('admins freeze users and review flagged redemptions, in the whole app', () => {
  it("a freeze ends the user's sessions and refuses sign-in and redeeming until unfrozen; each step is in the audit trail", async () => {
    const user = await signUp();
    const frozen = await call(api.url, 'POST', `/v1/admin/users/${user.id}/freeze`, { token: adminToken, body: { reason: 'chargeback' } });
    expect(frozen.status).toBe(200);
    expect(frozen.body).toMatchObject({ changed: true, user: { id: user.id, status: 'frozen', frozenReason: 'chargeback' } });

    // The freeze ended the user's session: its still-unexpired access token is refused at once.
    const refused = await redeem(user.token);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ type: 'https://bitro.dev/problems/invalid-token' });
    const signIn = () => call<{ accessToken: string }>(api.url, 'POST', '/v1/auth/login', { body: { email: user.email, password: 'correct horse battery' } });
    expect((await signIn()).status).toBe(403);
    const page = await call(api.url, 'GET', `/v1/admin/users/${user.id}`, { token: adminToken });
    expect(page.body).toMatchObject({ status: 'frozen', wallet: { availableSats: '0', heldSats: '0' } });

    expect((await call(api.url, 'POST', `/v1/admin/users/${user.id}/unfreeze`, { token: adminToken, body: { reason: 'resolved' } })).status).toBe(200);
    expect((await redeem((await signIn()).body.accessToken)).status).toBe(202);
    expect(await auditedActions(`user:${user.id}`)).toEqual(['user.freeze', 'user.view', 'user.unfreeze']);
  });

  it("refuses a frozen admin's still-unexpired token on admin routes and the queue dashboard; unfrozen, the admin signs in again", async () => {
    const { id: secondId, token, otpauthUri } = await signInAdmin(api, 'ops2@example.com');
    const second = { id: secondId };
    const dashboard = () => fetch(`${api.url}/admin/queues`, { headers: { authorization: `Bearer ${token}` } });
    expect((await call(api.url, 'GET', '/v1/admin/users', { token })).status).toBe(200);
    expect((await dashboard()).status).toBe(200);

    expect((await call(api.url, 'POST', `/v1/admin/users/${second.id}/freeze`, { token: adminToken, body: { reason: 'lost laptop' } })).status).toBe(200);
    const refused = await call(api.url, 'GET', '/v1/admin/users', { token });
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ type: 'https://bitro.dev/problems/invalid-token' });
    expect((await call(api.url, 'POST', `/v1/admin/users/${second.id}/unfreeze`, { token, body: { reason: 'self-service' } })).status).toBe(401);
    // The freeze ended the admin's sessions: the dashboard refuses the token as every route does.
    const blocked = await dashboard();
    expect(blocked.status).toBe(401);
    expect(await blocked.json()).toMatchObject({ type: 'https://bitro.dev/problems/invalid-token' });

    expect((await call(api.url, 'POST', `/v1/admin/users/${second.id}/unfreeze`, { token: adminToken, body: { reason: 'laptop found' } })).status).toBe(200);
    expect((await call(api.url, 'GET', '/v1/admin/users', { token })).status).toBe(401);
    const again = await call<{ accessToken: string }>(api.url, 'POST', '/v1/auth/login', { body: { email: 'ops2@example.com', password: 'operator password 1', totp: totpCode(otpauthUri, 1) } });
    expect((await call(api.url, 'GET', '/v1/admin/users', { token: again.body.accessToken })).status).toBe(200);
  });

  it('holds the card over the review amount until an admin approves it, then the wallet credits it', async () => {
    const user = await signUp();
    expect((await redeem(user.token)).body.state).toBe('verified');
    const held = await redeem(user.token);
    expect(held.body.state).toBe('in-review');
    const flagged = await call<{ items: Array<{ id: string; userId: string }> }>(api.url, 'GET', '/v1/admin/redemptions/flagged', { token: adminToken });
    expect(flagged.body.items).toContainEqual(expect.objectContaining({ id: held.body.id, userId: user.id }));

    const approved = await call(api.url, 'POST', `/v1/admin/redemptions/${held.body.id}/approve`, { token: adminToken });
    expect(approved.body).toEqual({ id: held.body.id, userId: user.id, state: 'verified' });
    expect((await call(api.url, 'POST', `/v1/admin/redemptions/${held.body.id}/approve`, { token: adminToken })).status).toBe(409);
    // 2 × floor(9,200 × 10^8 / 140,000,000) sats.
    await until('both credits', () => call<{ availableSats: string }>(api.url, 'GET', '/v1/wallet/balance', { token: user.token }), (answer) => answer.body.availableSats === '13142');
    expect(await auditedActions(`redemption:${held.body.id}`)).toEqual(['redemption.approve']);
  });
});
