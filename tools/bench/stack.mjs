// The processes of one bench run, all private to it: PostgreSQL (with pg_stat_statements), redis-server, the regtest
// node, bitcoin-gateway, bitro-api and the anchor, on free ports. Everything started is stopped by `stop()`.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { REGTEST_WALLETS } from '../dev/regtest-wallets.mjs';
import {
  applyDevDefaults,
  freePort,
  fundRegtestWallets,
  migrateDatabases,
  regtestNodeArgs,
  startEmbeddedPostgres,
  startRedisServer,
  waitForHttp,
  withDatabase,
} from '../dev/services.mjs';
import { installStatements, OBSERVER } from './pg-stats.mjs';

export const SERVER_CORE = 0;
export const LOAD_CORE = 1;

/** The bitro-api routes measured under wrk: the figure's key, the path, and whether it needs a signed-in user. */
export const MEASURED_ROUTES = [
  ['health', '/health/live', false],
  ['me', '/v1/me', true],
  ['balance', '/v1/wallet/balance', true],
];

export class Stack {
  cleanups = [];
  failure = null;
  /** pid -> signal: what is still running, killed at once should the bench exit without stopping it. */
  running = new Map();

  constructor(root, dir, log) {
    this.root = root;
    this.dir = dir;
    this.log = log;
    process.on('exit', () => {
      for (const [pid, signal] of this.running) {
        try {
          process.kill(pid, signal);
        } catch {
          // already gone
        }
      }
    });
  }

  /** Registers how to stop something started (and, as a last resort on exit, which pid to signal). */
  track(pid, signal, stop) {
    this.running.set(pid, signal);
    this.cleanups.push(async () => {
      await stop();
      this.running.delete(pid);
    });
  }

  /** Throws when a process of the run has exited on its own. */
  assertAlive() {
    if (this.failure) throw new Error(this.failure);
  }

  /** Stops everything, last started first. */
  async stop() {
    for (const cleanup of this.cleanups.splice(0).reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
  }

  /** A node process of a built script, its output in `<name>.log`, optionally pinned to a core. */
  node(name, script, { args = [], env, core, nodeOptions = [] }) {
    const out = openSync(join(this.dir, `${name}.log`), 'a');
    const command = [process.execPath, '--enable-source-maps', ...nodeOptions, join(this.root, script), ...args];
    const [file, ...rest] = core === undefined ? command : ['taskset', '-c', String(core), ...command];
    const child = spawn(file, rest, { cwd: this.root, stdio: ['ignore', out, out], env });
    let stopping = false;
    child.on('exit', (code, signal) => {
      this.running.delete(child.pid);
      if (!stopping) this.failure ??= `${name} exited (${signal ?? `code ${code}`}); see ${join(this.dir, `${name}.log`)}`;
    });
    const stop = () => {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return undefined;
      return new Promise((resolve) => {
        const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      });
    };
    this.track(child.pid, 'SIGKILL', stop);
    return { pid: child.pid, stop };
  }

  /** PostgreSQL, Redis, the regtest node, migrations, bitcoin-gateway and bitro-api; resolves what the bench needs. */
  async startProduct({ reviewDailyKrw, cpuProfile }) {
    chmodSync(this.dir, 0o755); // PostgreSQL runs as its own user
    const pgDir = join(this.dir, 'postgres');
    const pgPort = await freePort();
    const postgres = await startEmbeddedPostgres(pgDir, pgPort, {
      postgresFlags: ['-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'pg_stat_statements.track_utility=on'],
    });
    const postgresPid = Number(readFileSync(join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    this.track(postgresPid, 'SIGQUIT', postgres.stop); // SIGQUIT: PostgreSQL's immediate shutdown
    const admin = new pg.Client({ connectionString: withDatabase(postgres.url, 'postgres') });
    await admin.connect();
    await installStatements(admin).finally(() => admin.end());
    const redisPort = await freePort();
    const redis = await startRedisServer(redisPort);
    this.track(redis.pid, 'SIGKILL', redis.stop);

    const [regtestPort, gatewayPort, apiPort] = [await freePort(), await freePort(), await freePort()];
    // Metrics on, as in production, on ports of their own.
    const [gatewayMetricsPort, apiMetricsPort] = [await freePort(), await freePort()];
    const rpc = { url: `http://127.0.0.1:${regtestPort}`, user: 'bitro', password: randomBytes(16).toString('hex') };
    const env = {
      ...process.env,
      // As the image runs (Dockerfile). It matters: in development Prisma captures a call site (a stack trace) for
      // every query, for its error messages; 2 % of bitro-api's CPU in the redemption run.
      NODE_ENV: 'production',
      DATABASE_URL: postgres.url,
      GATEWAY_DATABASE_URL: withDatabase(postgres.url, 'bitro_gateway'),
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      JWT_SECRET: randomBytes(48).toString('base64url'),
      PIN_HASH_KEY: randomBytes(48).toString('base64url'),
      GATEWAY_HMAC_SECRET: randomBytes(48).toString('base64url'),
      BITCOIN_RPC_URL: rpc.url,
      BITCOIN_RPC_USER: rpc.user,
      BITCOIN_RPC_PASSWORD: rpc.password,
      BITCOIN_RPC_WALLET: REGTEST_WALLETS.gateway,
      GATEWAY_URL: `http://127.0.0.1:${gatewayPort}`,
      ISSUER: 'sandbox',
      PRICE_FEED: 'fixed',
      REDEMPTION_REVIEW_DAILY_KRW: String(reviewDailyKrw),
      ACCESS_TOKEN_TTL_SECONDS: String(24 * 3600),
    };
    applyDevDefaults(env);
    const regtest = this.node('regtest-node', 'dist/tools/regtest-node/main.js', { args: regtestNodeArgs(regtestPort, rpc), env });
    await fundRegtestWallets(rpc, regtestPort);
    await migrateDatabases(env, this.log);

    const gateway = this.node('bitcoin-gateway', 'dist/apps/bitcoin-gateway/main.js', { env: { ...env, PORT: String(gatewayPort), METRICS_PORT: String(gatewayMetricsPort) } });
    await waitForHttp(`${env.GATEWAY_URL}/health/live`);
    const api = this.node('bitro-api', 'dist/apps/bitro-api/main.js', {
      env: { ...env, PORT: String(apiPort), METRICS_PORT: String(apiMetricsPort), BENCH_CPU_PROFILE: cpuProfile ?? '' },
      core: SERVER_CORE,
      nodeOptions: cpuProfile ? ['--import', join(this.root, 'tools/bench/cpu-profiler.mjs')] : [],
    });
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    await waitForHttp(`${apiUrl}/health/ready`, 120_000);
    this.assertAlive();

    const observerUrl = (database) => {
      const url = new URL(withDatabase(postgres.url, database));
      url.username = OBSERVER;
      url.password = OBSERVER;
      return url.toString();
    };
    return { env, apiUrl, pids: { api: api.pid, gateway: gateway.pid, regtest: regtest.pid, postgres: postgresPid }, observerUrl };
  }

  /**
   * A further bitro-api replica on the product's databases, pinned like the first, with metrics on (on a port of its
   * own) or off (METRICS_PORT=0), of this build or of `script` (relative to the repository): replicas started together
   * differ only by what is chosen here. Resolves its URL, pid and how to stop it.
   */
  async startApiReplica(name, productEnv, { metrics, script = 'dist/apps/bitro-api/main.js' }) {
    const port = await freePort();
    const replica = this.node(name, script, {
      env: { ...productEnv, PORT: String(port), METRICS_PORT: metrics ? String(await freePort()) : '0' },
      core: SERVER_CORE,
    });
    const url = `http://127.0.0.1:${port}`;
    await waitForHttp(`${url}/health/ready`, 120_000);
    this.assertAlive();
    return { url, pid: replica.pid, stop: replica.stop };
  }

  /** The anchor app (dist/tools/bench-anchor) pinned like bitro-api; resolves its URL and how to stop it. */
  async startAnchor(jwtSecret) {
    const port = await freePort();
    const anchor = this.node('anchor', 'dist/tools/bench-anchor/main.js', { env: { ...process.env, PORT: String(port), JWT_SECRET: jwtSecret }, core: SERVER_CORE });
    const url = `http://127.0.0.1:${port}/anchor`;
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
      const up = await fetch(url).then((r) => r.status === 401, () => false);
      if (up) return { url, pid: anchor.pid, stop: anchor.stop };
      this.assertAlive();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the anchor did not start within 60 s');
  }
}
