#!/usr/bin/env node
// Load run and benchmark against a running bitro-api (sandbox issuer, fixed price: the `npm start` default):
//   node tools/bench/redemptions.mjs [--url http://127.0.0.1:3000] [--users 50] [--redemptions 1000] [--balance-requests 2000]
// 1. signs up N users; 2. fires all redemptions at once (distinct valid sandbox PINs, spread over the users);
// 3. waits until every one is credited and prints redemptions/s end to end; 4. checks every balance equals the
// sum of its credited redemptions; 5. measures GET /v1/wallet/balance latency (p50/p99).
// Afterwards `npm run ledger:verify` proves the ledger's invariants.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { apiClient } from './api-client.mjs';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:3000' },
    users: { type: 'string', default: '50' },
    redemptions: { type: 'string', default: '1000' },
    'balance-requests': { type: 'string', default: '2000' },
    'balance-concurrency': { type: 'string', default: '20' },
  },
});
const base = values.url.replace(/\/$/, '');
const users = Number(values.users);
const total = Number(values.redemptions);
const run = randomBytes(3).toString('hex');

const call = apiClient(base);

/** The n-th valid sandbox PIN: 16 digits, an even digit sum, not one of the special prefixes. */
function sandboxPin(n) {
  const body = `7${String(n).padStart(14, '0')}`;
  const sum = [...body].reduce((acc, digit) => acc + Number(digit), 0);
  return `${body}${sum % 2 === 0 ? 0 : 1}`;
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const seed = Number.parseInt(run, 16) * 100_000;

console.log(`bitro bench @ ${base}: ${users} users, ${total} redemptions`);
const tokens = [];
for (let i = 0; i < users; i++) {
  const signup = await call('POST', '/v1/auth/signup', { body: { email: `bench-${run}-${i}@example.com`, password: 'bench password 123', displayName: `Bench ${i}` } });
  if (signup.status !== 202) throw new Error(`signup ${i}: ${signup.status} ${JSON.stringify(signup.body)}`);
  const login = await call('POST', '/v1/auth/login', { body: { email: `bench-${run}-${i}@example.com`, password: 'bench password 123' } });
  if (login.status !== 200) throw new Error(`login ${i}: ${login.status} ${JSON.stringify(login.body)}`);
  tokens.push(login.body.accessToken);
}

const started = performance.now();
const answers = await Promise.all(
  Array.from({ length: total }, (_, i) =>
    call('POST', '/v1/giftcards/redemptions', {
      token: tokens[i % users],
      body: { brand: 'cultureland', pin: sandboxPin(seed + i) },
      headers: { 'idempotency-key': `bench-${run}-${i}` },
    }),
  ),
);
const acceptedMs = performance.now() - started;
const refused = answers.filter((a) => a.status !== 202);
if (refused.length > 0) throw new Error(`${refused.length} redemptions refused, e.g. ${JSON.stringify(refused[0])}`);
console.log(`accepted ${total} in ${(acceptedMs / 1000).toFixed(2)} s (${(total / (acceptedMs / 1000)).toFixed(0)}/s)`);

// Wait until every redemption is credited, reading each user's list.
const expected = new Map();
let credited = 0;
const deadline = Date.now() + 10 * 60_000;
while (credited < total) {
  if (Date.now() > deadline) throw new Error(`only ${credited}/${total} credited after 10 minutes`);
  await new Promise((resolve) => setTimeout(resolve, 200));
  credited = 0;
  for (let u = 0; u < users; u++) {
    let cursor = null;
    let sum = 0n;
    do {
      const page = await call('GET', `/v1/giftcards/redemptions?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: tokens[u] });
      for (const item of page.body.items) {
        if (item.state === 'credited') {
          credited += 1;
          sum += BigInt(item.amountSats);
        }
      }
      cursor = page.body.nextCursor;
    } while (cursor);
    expected.set(u, sum);
  }
}
const creditedMs = performance.now() - started;
console.log(`credited ${total} in ${(creditedMs / 1000).toFixed(2)} s: ${(total / (creditedMs / 1000)).toFixed(0)} redemptions/s end to end`);

let mismatches = 0;
for (let u = 0; u < users; u++) {
  const { body } = await call('GET', '/v1/wallet/balance', { token: tokens[u] });
  if (BigInt(body.availableSats) !== expected.get(u) || BigInt(body.availableSats) < 0n) mismatches += 1;
}
console.log(mismatches === 0 ? `balances: all ${users} equal their credited redemptions` : `balances: ${mismatches} MISMATCHED`);

const latencies = [];
let next = 0;
const requests = Number(values['balance-requests']);
await Promise.all(
  Array.from({ length: Number(values['balance-concurrency']) }, async () => {
    while (next < requests) {
      const token = tokens[next++ % users];
      const t0 = performance.now();
      const response = await call('GET', '/v1/wallet/balance', { token });
      latencies.push(performance.now() - t0);
      if (response.status !== 200) throw new Error(`balance: ${response.status}`);
    }
  }),
);
latencies.sort((a, b) => a - b);
console.log(
  `GET /v1/wallet/balance x${requests} (concurrency ${values['balance-concurrency']}): p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`,
);
process.exit(mismatches === 0 ? 0 : 1);
