#!/usr/bin/env node
// Deposits and withdrawals end to end against `npm start` (regtest node, bitcoin-gateway, bitro-api):
//   node tools/bench/bitcoin.mjs [--url http://127.0.0.1:3000] [--users 20] [--withdrawals-per-user 5]
// 1. N users get deposit addresses; one outside transaction pays them all: time until every deposit is detected,
//    then (after mining DEPOSIT_CONFIRMATIONS blocks) until every one is credited;
// 2. every user requests W withdrawals at once: request latency p50/p99, time until all are broadcast, how many
//    transactions carried them; one block later, time until all are confirmed; then every balance is checked
//    (deposit − amounts − actual fees) and every payee must have been paid exactly once.
// Afterwards `npm run ledger:verify` proves the ledger's invariants.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadBitroClient } from '../dev/bitro-client.mjs';
import { bitcoinRpc } from '../dev/services.mjs';
import { REGTEST_WALLETS } from '../dev/regtest-wallets.mjs';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:3000' },
    users: { type: 'string', default: '20' },
    'withdrawals-per-user': { type: 'string', default: '5' },
    confirmations: { type: 'string', default: '3' },
  },
});
const root = join(import.meta.dirname, '..', '..');
if (existsSync(join(root, '.data/runtime.env'))) process.loadEnvFile(join(root, '.data/runtime.env'));
const rpc = { url: process.env.BITCOIN_RPC_URL, user: process.env.BITCOIN_RPC_USER, password: process.env.BITCOIN_RPC_PASSWORD };
if (!rpc.url) throw new Error('No node recorded in .data/runtime.env: start the product with `npm start` first.');
const base = values.url.replace(/\/$/, '');
const users = Number(values.users);
const perUser = Number(values['withdrawals-per-user']);
const DEPOSIT_SATS = 10_000_000n;
const WITHDRAWAL_SATS = 100_000n;
const run = Date.now().toString(36);

const { createBitroClient, fromSats, toSats, unwrap } = await loadBitroClient();

async function until(what, check, timeoutMs = 120_000) {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (await check()) return (performance.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const mine = async (blocks) => bitcoinRpc(rpc, 'generatetoaddress', [blocks, await bitcoinRpc(rpc, 'getnewaddress', [], REGTEST_WALLETS.outside)]);
const btc = (sats) => `${sats / 100_000_000n}.${(sats % 100_000_000n).toString().padStart(8, '0')}`;

console.log(`bitro bitcoin bench @ ${base}: ${users} users, ${perUser} withdrawals each`);
const accounts = [];
for (let i = 0; i < users; i++) {
  const email = `btc-bench-${run}-${i}@example.com`;
  const client = createBitroClient({ baseUrl: base });
  await unwrap(client.POST('/v1/auth/signup', { body: { email, password: 'bench password 123', displayName: `Bench ${i}` } }));
  await client.signIn({ email, password: 'bench password 123' });
  const { address } = await unwrap(client.POST('/v1/wallet/deposit-address'));
  accounts.push({ client, address });
}

const deposits = async (status) => {
  const lists = await Promise.all(accounts.map((a) => unwrap(a.client.GET('/v1/wallet/deposits'))));
  return lists.every((list) => list.items.some((d) => d.status === status));
};
await bitcoinRpc(rpc, 'sendmany', ['', Object.fromEntries(accounts.map((a) => [a.address, btc(DEPOSIT_SATS)]))], REGTEST_WALLETS.outside);
const detectedS = await until('deposits detected', () => deposits('detected'));
await mine(Number(values.confirmations));
const creditedS = await until('deposits credited', async () => {
  const balances = await Promise.all(accounts.map((a) => unwrap(a.client.GET('/v1/wallet/balance'))));
  return balances.every((b) => fromSats(b.availableSats) === DEPOSIT_SATS);
});
console.log(`deposits: ${users} in one transaction — all detected after ${detectedS.toFixed(2)} s (mempool), all credited ${creditedS.toFixed(2)} s after mining ${values.confirmations} blocks`);

const payees = await Promise.all(Array.from({ length: users * perUser }, () => bitcoinRpc(rpc, 'getnewaddress', [], REGTEST_WALLETS.outside)));
const latencies = [];
const started = performance.now();
const requested = await Promise.all(
  payees.map(async (address, i) => {
    const t0 = performance.now();
    const { client } = accounts[i % users];
    const withdrawal = await unwrap(client.POST('/v1/wallet/withdrawals', { body: { address, amountSats: toSats(WITHDRAWAL_SATS) } }));
    latencies.push(performance.now() - t0);
    return { id: withdrawal.id, client, address };
  }),
);
const acceptedS = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const views = () => Promise.all(requested.map((w) => unwrap(w.client.GET('/v1/wallet/withdrawals/{id}', { params: { path: { id: w.id } } }))));
let lastViews = [];
const broadcastS = await until('withdrawals broadcast', async () => {
  lastViews = await views();
  return lastViews.every((v) => v.status === 'broadcast' || v.status === 'confirmed');
});
const transactions = new Set(lastViews.map((v) => v.txid)).size;
await mine(1);
const confirmedS = await until('withdrawals confirmed', async () => {
  lastViews = await views();
  return lastViews.every((v) => v.status === 'confirmed');
});
console.log(
  `withdrawals: ${requested.length} accepted in ${acceptedS.toFixed(2)} s (${(requested.length / acceptedS).toFixed(0)}/s; request p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms), ` +
    `all broadcast ${broadcastS.toFixed(2)} s after the last was accepted, in ${transactions} transaction(s); all confirmed ${confirmedS.toFixed(2)} s after one block`,
);

let wrong = 0;
for (const [index, account] of accounts.entries()) {
  const mine = lastViews.filter((_, i) => i % users === index);
  const spent = mine.reduce((sum, v) => sum + fromSats(v.amountSats) + fromSats(v.feeSats), 0n);
  const balance = await unwrap(account.client.GET('/v1/wallet/balance'));
  if (fromSats(balance.availableSats) !== DEPOSIT_SATS - spent || balance.heldSats !== '0') wrong += 1;
}
let paidTwice = 0;
for (const { address } of requested) {
  const received = await bitcoinRpc(rpc, 'getreceivedbyaddress', [address, 1], REGTEST_WALLETS.outside);
  if (Math.round(received * 1e8) !== Number(WITHDRAWAL_SATS)) paidTwice += 1;
}
console.log(`check: ${wrong} balance(s) off, ${paidTwice} payee(s) not paid exactly once`);
if (wrong + paidTwice > 0) process.exitCode = 1;
