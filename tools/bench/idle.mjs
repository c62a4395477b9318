// Idle cost of the built product: starts it like the bench (private PostgreSQL and Redis), waits, then measures for
// `--seconds` each process's CPU (utime + stime), the statements each database ran (pg_stat_statements) and the Redis
// commands (INFO commandstats). `node tools/bench/idle.mjs [--seconds 60] [--settle 20]`; build first.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startStatements } from './pg-stats.mjs';
import { cpuPercent, threadCpuSeconds } from './proc-stats.mjs';
import { Stack } from './stack.mjs';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '60' }, settle: { type: 'string', default: '20' }, profile: { type: 'boolean', default: false } } });
const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'bitro-idle-'));
const log = (line) => console.error(`[idle] ${line}`);
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

function redisCommands(port) {
  const text = execFileSync('redis-cli', ['-p', String(port), 'info', 'commandstats'], { encoding: 'utf8' });
  return Object.fromEntries([...text.matchAll(/^cmdstat_(\S+):calls=(\d+)/gm)].map(([, name, calls]) => [name, Number(calls)]));
}

const stack = new Stack(root, dir, log);
if (values.profile) {
  // Both servers preload the bench's profiler; SIGWINCH starts and stops it around the idle window.
  const node = stack.node.bind(stack);
  stack.node = (name, script, options) =>
    ['bitro-api', 'bitcoin-gateway'].includes(name)
      ? node(name, script, { ...options, env: { ...options.env, BENCH_CPU_PROFILE: join(dir, `${name}.cpuprofile`) }, nodeOptions: ['--import', join(root, 'tools/bench/cpu-profiler.mjs')] })
      : node(name, script, options);
}
process.once('SIGINT', () => stack.stop().finally(() => process.exit(130)));
try {
  const product = await stack.startProduct({ reviewDailyKrw: 10n ** 15n });
  const redisPort = new URL(product.env.REDIS_URL).port;
  const observer = new pg.Client({ connectionString: product.observerUrl('postgres') });
  await observer.connect();
  log(`started (logs in ${dir}); settling ${values.settle} s, then ${values.seconds} s idle`);
  await sleep(Number(values.settle) * 1000);
  const statements = await startStatements(observer);
  const redisBefore = redisCommands(redisPort);
  const minutes = Number(values.seconds) / 60;
  const profiled = [product.pids.api, product.pids.gateway];
  if (values.profile) for (const pid of profiled) process.kill(pid, 'SIGWINCH');
  const threadsBefore = profiled.map(threadCpuSeconds);
  const [api, gateway] = await cpuPercent(profiled, Number(values.seconds) * 1000);
  // Which threads the idle CPU is spent on: the main thread (JS, timers, I/O callbacks), V8's GC and compiler workers, libuv's pool.
  const threads = profiled.map((pid, i) => {
    const after = threadCpuSeconds(pid);
    const spent = Object.entries(after).map(([name, s]) => [name, Math.round((s - (threadsBefore[i][name] ?? 0)) * 1000)]);
    return Object.fromEntries(spent.filter(([, ms]) => ms > 0).sort((a, b) => b[1] - a[1]));
  });
  if (values.profile) {
    for (const pid of profiled) process.kill(pid, 'SIGWINCH');
    await sleep(3000);
    log(`profiles: ${join(dir, 'bitro-api.cpuprofile')} ${join(dir, 'bitcoin-gateway.cpuprofile')}`);
  }
  stack.assertAlive();
  const redisAfter = redisCommands(redisPort);
  const pgRun = await statements.finish(1_000);
  await observer.end();
  const perMinute = (n) => Math.round((n / minutes) * 10) / 10;
  const redis = Object.entries(redisAfter)
    .map(([name, calls]) => [name, perMinute(calls - (redisBefore[name] ?? 0))])
    .filter(([name, calls]) => calls > 0 && name !== 'info')
    .sort((a, b) => b[1] - a[1]);
  const byDatabase = {};
  for (const row of pgRun.byCalls) byDatabase[row.database] = (byDatabase[row.database] ?? 0) + row.calls;
  console.log(JSON.stringify({
    cpuPct: { api: Math.round(api * 100) / 100, gateway: Math.round(gateway * 100) / 100 },
    threadCpuMs: { api: threads[0], gateway: threads[1] },
    perMinute: {
      statements: perMinute(pgRun.statements),
      statementsByDatabase: Object.fromEntries(Object.entries(byDatabase).map(([db, n]) => [db, perMinute(n)])),
      transactions: perMinute(pgRun.transactions),
      redisCommands: perMinute(redis.reduce((sum, [, calls]) => sum + calls, 0)),
    },
    redis: Object.fromEntries(redis),
    statements: pgRun.byCalls.slice(0, 40).map((row) => `${perMinute(row.calls)}/min ${row.database}: ${row.query.slice(0, 140)}`),
  }, null, 2));
} finally {
  await stack.stop();
}
