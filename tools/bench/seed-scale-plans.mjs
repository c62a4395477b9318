#!/usr/bin/env node
// The query plans of the list routes on databases seed-scale.mjs grew:
//   node tools/bench/seed-scale-plans.mjs --database bitro_scale_10000 --database bitro_scale_1000000 [--port 3370]
// For each database it starts the built bitro-api (dist/, BITRO_ROLES=http) with seed-scale-query-log.cjs preloaded,
// calls every list route (first and deep keyset pages, admin searches), takes the SELECTs each call sent to PostgreSQL
// with their parameters, and runs EXPLAIN (ANALYZE, BUFFERS) of each on that database. Prints the top node, the index
// used and the time of each statement per database side by side, and exits 1 when a plan reads a table of more than
// BIG_TABLE_ROWS rows sequentially.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import { loadBitroClient } from '../dev/bitro-client.mjs';
import { databaseUrlOf, seedEmail, seedId } from './seed-scale.mjs';

const root = join(import.meta.dirname, '..', '..');
const BIG_TABLE_ROWS = 50_000;
const bitro = await loadBitroClient();

const cursorOf = (row) => Buffer.from(JSON.stringify([row.created_at.toISOString(), row.id])).toString('base64url');

/** The position `depth` rows into a user's list (newest first), as the cursor the previous page would have returned. */
async function deepCursor(db, table, userId, extra = '') {
  const { rows } = await db.query(
    `SELECT created_at, id FROM ${table} WHERE user_id = $1 ${extra} ORDER BY created_at DESC, id DESC OFFSET (SELECT count(*) * 4 / 5 FROM ${table} WHERE user_id = $1 ${extra}) LIMIT 1`,
    [userId],
  );
  return rows[0] ? cursorOf(rows[0]) : undefined;
}

/** The calls, each a route of the product, with what it needs from the seeded database. */
async function probes(db) {
  const users = Number((await db.query(`SELECT count(*) FROM "user".users`)).rows[0].count);
  // The heavy user owns 5 % of the journals; the e-mail part matches about one user.
  const ids = { heavy: seedId('u0'), admin: seedId('u1'), some: seedId(`u${users - 7}`), part: seedEmail(users - 7).slice(2, 8) };
  const oldestUsers = (await db.query(`SELECT created_at, id FROM "user".users ORDER BY created_at, id OFFSET 10 LIMIT 1`)).rows[0];
  const q = (params) => `?${new URLSearchParams(params)}`;
  return [
    { name: 'wallet transactions, first page', path: '/v1/wallet/transactions', user: ids.heavy },
    { name: 'wallet transactions, deep page', path: `/v1/wallet/transactions${q({ cursor: await deepCursor(db, 'wallet.journals', ids.heavy) })}`, user: ids.heavy },
    { name: 'wallet transactions, kind=credit', path: '/v1/wallet/transactions?kind=credit', user: ids.heavy },
    { name: 'wallet deposits, first page', path: '/v1/wallet/deposits', user: ids.heavy },
    { name: 'wallet withdrawals, first page', path: '/v1/wallet/withdrawals', user: ids.heavy },
    { name: 'redemptions, first page', path: '/v1/giftcards/redemptions', user: ids.heavy },
    { name: 'redemptions, deep page', path: `/v1/giftcards/redemptions${q({ cursor: await deepCursor(db, 'giftcard.redemptions', ids.heavy) })}`, user: ids.heavy },
    { name: 'notification inbox, first page', path: '/v1/notifications', user: ids.heavy },
    { name: 'notification inbox, deep page', path: `/v1/notifications${q({ cursor: await deepCursor(db, 'notification.notifications', ids.heavy, 'AND in_app') })}`, user: ids.heavy },
    { name: 'notification inbox, unread', path: '/v1/notifications?unread=true', user: ids.heavy },
    { name: 'admin users, newest', path: '/v1/admin/users', admin: ids.admin },
    { name: 'admin users, oldest page', path: `/v1/admin/users${q({ cursor: cursorOf(oldestUsers) })}`, admin: ids.admin },
    { name: 'admin users, e-mail part', path: `/v1/admin/users${q({ q: ids.part })}`, admin: ids.admin },
    { name: 'admin users, id', path: `/v1/admin/users${q({ q: ids.some })}`, admin: ids.admin },
    { name: 'admin users, frozen', path: '/v1/admin/users?status=frozen', admin: ids.admin },
    { name: 'admin users, admins', path: '/v1/admin/users?role=admin', admin: ids.admin },
    { name: 'admin user page', path: `/v1/admin/users/${ids.some}`, admin: ids.admin },
    { name: 'admin withdrawals awaiting approval', path: '/v1/admin/withdrawals/awaiting-approval', admin: ids.admin },
    { name: 'admin flagged redemptions', path: '/v1/admin/redemptions/flagged', admin: ids.admin },
    { name: 'admin dead letters', path: '/v1/admin/events/dead-letters', admin: ids.admin },
  ];
}

/** Every node of a plan, depth first. */
function* nodesOf(plan) {
  yield plan;
  for (const child of plan.Plans ?? []) yield* nodesOf(child);
}

const describe = (node) => [node['Node Type'], node['Index Name'] ?? node['Relation Name']].filter(Boolean).join(' ');

async function explain(db, statement, sizes) {
  const [{ 'QUERY PLAN': [result] }] = (await db.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${statement.text}`, statement.values)).rows;
  const nodes = [...nodesOf(result.Plan)];
  const bigSeqScans = nodes.filter((node) => node['Node Type'] === 'Seq Scan' && (sizes.get(`${node.Schema}.${node['Relation Name']}`) ?? 0) > BIG_TABLE_ROWS);
  return {
    top: describe(result.Plan),
    access: nodes.filter((node) => node['Relation Name'] || node['Index Name']).map(describe).join(', '),
    ms: result['Execution Time'],
    buffers: result.Plan['Shared Hit Blocks'] + result.Plan['Shared Read Blocks'],
    bigSeqScans: bigSeqScans.map(describe),
  };
}

/** Starts bitro-api on `databaseUrl` with the query log; resolves with what the check needs to drive it. */
async function startApi(databaseUrl, port, logFile) {
  const secret = randomBytes(32).toString('hex');
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_KEY_PREFIX: `bitro-scale-${randomBytes(4).toString('hex')}:`,
    BITRO_ROLES: 'http',
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
    JWT_SECRET: secret,
    PIN_HASH_KEY: randomBytes(32).toString('hex'),
    SCALE_QUERY_LOG: logFile,
  };
  const child = spawn(process.execPath, ['--require', join(import.meta.dirname, 'seed-scale-query-log.cjs'), join(root, 'dist/apps/bitro-api/main.js')], {
    cwd: root,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`bitro-api exited (${child.exitCode}); is it built (dist/apps/bitro-api)?`);
    if (await fetch(`${base}/health/live`).then((r) => r.ok, () => false)) break;
    if (i > 600) throw new Error('bitro-api did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const token = (sub, role) => jwt.sign({ sub, role, sid: randomUUID() }, secret, { algorithm: 'HS256', expiresIn: 900, issuer: 'bitro', audience: 'bitro-api' });
  const stop = () => new Promise((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', resolve), child.kill('SIGTERM'))));
  // A client signed as `sub` (a minted access token, no refresh token) for each probe.
  const client = (sub, role) => bitro.createBitroClient({ baseUrl: base, tokens: { accessToken: token(sub, role) } });
  return { client, stop };
}

const logged = (file) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));

/** Runs every probe on one database: probe name → the plans of the SELECTs it sent. */
async function planDatabase(database, port) {
  const url = databaseUrlOf(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres', database);
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const logFile = join(tmpdir(), `seed-scale-queries-${process.pid}.jsonl`);
  writeFileSync(logFile, '');
  const api = await startApi(url, port, logFile);
  const results = new Map();
  try {
    const sizes = new Map(
      (await db.query(`SELECT n.nspname || '.' || c.relname AS name, c.reltuples::bigint AS rows FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r'`)).rows.map(
        (row) => [row.name, Number(row.rows)],
      ),
    );
    for (const probe of await probes(db)) {
      const client = probe.admin ? api.client(probe.admin, 'admin') : api.client(probe.user, 'user');
      await client.GET(probe.path); // warm-up: prepared caches, buffers
      writeFileSync(logFile, '');
      const answer = await client.GET(probe.path);
      if (answer.response.status !== 200) throw new Error(`${probe.name}: GET ${probe.path} answered ${answer.response.status} ${JSON.stringify(answer.error)}`);
      const selects = logged(logFile).filter((statement) => /^\s*(SELECT|WITH)\b/i.test(statement.text) && !/"messaging"\."(outbox|publications|subscriptions)"/.test(statement.text));
      const plans = [];
      for (const statement of selects) plans.push({ sql: statement.text, ...(await explain(db, statement, sizes)) });
      results.set(probe.name, plans);
    }
  } finally {
    await api.stop();
    await db.end();
    rmSync(logFile, { force: true });
  }
  return results;
}

const tableOf = (sql) => /FROM\s+("?\w+"?\."?\w+"?)/i.exec(sql)?.[1]?.replaceAll('"', '') ?? sql.slice(0, 30);

async function main() {
  const { values } = parseArgs({ options: { database: { type: 'string', multiple: true }, port: { type: 'string', default: '3370' }, sql: { type: 'boolean', default: false } } });
  const databases = values.database ?? ['bitro_scale_10000', 'bitro_scale_1000000'];
  const runs = [];
  for (const database of databases) runs.push(await planDatabase(database, Number(values.port)));
  const failures = [];
  for (const name of runs[0].keys()) {
    console.log(`\n${name}`);
    runs[0].get(name).forEach((first, i) => {
      console.log(`  ${tableOf(first.sql)}${values.sql ? `\n    ${first.sql}` : ''}`);
      runs.forEach((run, r) => {
        const plan = run.get(name)?.[i];
        if (!plan) return;
        console.log(`    ${databases[r].padEnd(22)} ${plan.ms.toFixed(3).padStart(9)} ms ${String(plan.buffers).padStart(6)} buf  top: ${plan.top}  |  ${plan.access}`);
        for (const scan of plan.bigSeqScans) failures.push(`${name} on ${databases[r]}: ${scan}\n    ${plan.sql}`);
      });
    });
  }
  if (failures.length > 0) {
    console.log(`\nFAIL: sequential scans of tables over ${BIG_TABLE_ROWS} rows:\n  ${failures.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`\nOK: no plan reads a table of more than ${BIG_TABLE_ROWS} rows sequentially.`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
