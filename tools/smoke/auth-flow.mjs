#!/usr/bin/env node
// Scripted session flow against a running bitro-api, with @bitro/client:
// signup → login → /v1/me → refresh → reuse of the old refresh token → 401, and the family revoked.
// Usage: node tools/smoke/auth-flow.mjs [base-url]   (default http://127.0.0.1:3000)
import { randomBytes } from 'node:crypto';
import { loadBitroClient } from '../dev/bitro-client.mjs';

const { createBitroClient } = await loadBitroClient();
const baseUrl = (process.argv[2] ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
const email = `smoke-${randomBytes(4).toString('hex')}@example.com`;
const password = `smoke-${randomBytes(8).toString('hex')}`;
// Signed out: each step below shows the API's own answer (no session of the client's to refresh).
const client = createBitroClient({ baseUrl });

function step(name, { data, error, response }, expected) {
  const ok = response.status === expected;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${response.status}${ok ? '' : ` (expected ${expected}) ${JSON.stringify(error ?? data)}`}`);
  if (!ok) process.exit(1);
  return data ?? error;
}

step('signup', await client.POST('/v1/auth/signup', { body: { email, password, displayName: 'Smoke' } }), 202);
const login = step('login', await client.POST('/v1/auth/login', { body: { email, password } }), 200);
const me = step('GET /v1/me', await client.GET('/v1/me', { headers: { authorization: `Bearer ${login.accessToken}` } }), 200);
if (me.email !== email) throw new Error(`/v1/me answered ${me.email}`);
const refreshed = step('refresh', await client.POST('/v1/auth/refresh', { body: { refreshToken: login.refreshToken } }), 200);
const reuse = step('reuse of the old refresh token', await client.POST('/v1/auth/refresh', { body: { refreshToken: login.refreshToken } }), 401);
console.log(`     ${reuse.detail}`);
step('the newest token of the revoked family', await client.POST('/v1/auth/refresh', { body: { refreshToken: refreshed.refreshToken } }), 401);
console.log('session flow: all steps as expected');
