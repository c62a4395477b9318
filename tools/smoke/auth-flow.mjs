#!/usr/bin/env node
// Scripted session flow against a running bitro-api:
// signup → login → /v1/me → refresh → reuse of the old refresh token → 401, and the family revoked.
// Usage: node tools/smoke/auth-flow.mjs [base-url]   (default http://127.0.0.1:3000)
import { randomBytes } from 'node:crypto';

const base = (process.argv[2] ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
const email = `smoke-${randomBytes(4).toString('hex')}@example.com`;
const password = `smoke-${randomBytes(8).toString('hex')}`;

async function call(method, path, { body, token } = {}) {
  const response = await fetch(base + path, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

function step(name, response, expected) {
  const ok = response.status === expected;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${response.status}${ok ? '' : ` (expected ${expected}) ${JSON.stringify(response.body)}`}`);
  if (!ok) process.exit(1);
  return response.body;
}

step('signup', await call('POST', '/v1/auth/signup', { body: { email, password, displayName: 'Smoke' } }), 202);
const login = step('login', await call('POST', '/v1/auth/login', { body: { email, password } }), 200);
const me = step('GET /v1/me', await call('GET', '/v1/me', { token: login.accessToken }), 200);
if (me.email !== email) throw new Error(`/v1/me answered ${me.email}`);
const refreshed = step('refresh', await call('POST', '/v1/auth/refresh', { body: { refreshToken: login.refreshToken } }), 200);
const reuse = step('reuse of the old refresh token', await call('POST', '/v1/auth/refresh', { body: { refreshToken: login.refreshToken } }), 401);
console.log(`     ${reuse.detail}`);
step('the newest token of the revoked family', await call('POST', '/v1/auth/refresh', { body: { refreshToken: refreshed.refreshToken } }), 401);
console.log('session flow: all steps as expected');
