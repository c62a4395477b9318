#!/usr/bin/env node
// `npm start`: the whole product on this machine with nothing to edit: a regtest Bitcoin node (the in-repo one),
// bitcoin-gateway on port 3100 and bitro-api on port 3000, against local PostgreSQL and Redis.
// Uses DATABASE_URL / REDIS_URL / BITCOIN_RPC_URL when set (or in .env); otherwise the local defaults, falling back
// to an embedded PostgreSQL under .data/ and a redis-server child process.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REGTEST_WALLETS } from './regtest-wallets.mjs';
import {
  applyDevDefaults,
  buildProjects,
  canQueryPostgres,
  devSecret,
  dropDatabase,
  fundRegtestWallets,
  hasCommand,
  isListening,
  migrateDatabases,
  regtestNodeArgs,
  startEmbeddedPostgres,
  startRedisServer,
  waitForHttp,
  withDatabase,
} from './services.mjs';

const root = join(import.meta.dirname, '..', '..');
const dataDir = join(root, '.data');
const log = (message) => console.log(`[start] ${message}`);
const cleanups = [];
const REGTEST_PORT = 18443;

async function stopAll() {
  for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
}

async function postgresUrl() {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const local = 'postgresql://postgres@127.0.0.1:5432/bitro';
  if (await canQueryPostgres(withDatabase(local, 'postgres'))) return local;
  log('PostgreSQL is not reachable at 127.0.0.1:5432; starting an embedded PostgreSQL (data in .data/postgres).');
  const embedded = await startEmbeddedPostgres(join(dataDir, 'postgres'), 54329);
  cleanups.push(embedded.stop);
  return embedded.url;
}

async function redisUrl() {
  if (process.env.REDIS_URL) return process.env.REDIS_URL;
  if (await isListening('127.0.0.1', 6379)) return 'redis://127.0.0.1:6379';
  if (!hasCommand('redis-server')) {
    throw new Error(
      'Redis is not reachable at 127.0.0.1:6379 and redis-server is not installed.\n' +
        '  Install it (Debian/Ubuntu: `sudo apt-get install redis-server`; macOS: `brew install redis`),\n' +
        '  or point REDIS_URL at a running Redis.',
    );
  }
  log('Redis is not reachable at 127.0.0.1:6379; starting redis-server.');
  const redis = await startRedisServer(6379);
  cleanups.push(redis.stop);
  return 'redis://127.0.0.1:6379';
}

/** A child process that stops everything when it exits on its own. */
function run(name, script, args, env, onExit) {
  const child = spawn(process.execPath, ['--enable-source-maps', join(root, script), ...args], { cwd: root, stdio: 'inherit', env });
  let stopping = false;
  cleanups.push(() => {
    stopping = true;
    if (child.exitCode !== null) return undefined;
    return new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
  });
  child.on('exit', (code, signal) => {
    if (!stopping) onExit(`${name} exited (${signal ?? `code ${code}`})`);
  });
  return child;
}

/**
 * The Bitcoin node: BITCOIN_RPC_URL when set (e.g. a real bitcoind), otherwise the in-repo regtest node on 18443,
 * which keeps its chain in memory: every start is a new chain, so the gateway's database starts afresh with it,
 * and 101 blocks are mined to each wallet so that both can spend.
 */
async function bitcoinNode(env, gatewayDatabaseUrl, onExit) {
  if (env.BITCOIN_RPC_URL) return;
  if (await isListening('127.0.0.1', REGTEST_PORT)) {
    throw new Error(`Port ${REGTEST_PORT} is taken (a bitcoind?). Set BITCOIN_RPC_URL, BITCOIN_RPC_USER and BITCOIN_RPC_PASSWORD in .env to use it.`);
  }
  const rpc = { url: `http://127.0.0.1:${REGTEST_PORT}`, user: 'bitro', password: devSecret(dataDir, 'regtest-rpc-password') };
  Object.assign(env, { BITCOIN_RPC_URL: rpc.url, BITCOIN_RPC_USER: rpc.user, BITCOIN_RPC_PASSWORD: rpc.password, BITCOIN_RPC_WALLET: REGTEST_WALLETS.gateway });
  // Regtest coins cost nothing: audit block roots go on this chain too, so development exercises the anchoring.
  env.AUDIT_ANCHOR ??= 'gateway';
  await dropDatabase(gatewayDatabaseUrl);
  run('regtest-node', 'dist/tools/regtest-node/main.js', regtestNodeArgs(REGTEST_PORT, rpc), env, onExit);
  await fundRegtestWallets(rpc, REGTEST_PORT);
  log(`regtest node on ${rpc.url}: a new chain, 50 BTC spendable in wallets "${REGTEST_WALLETS.gateway}" (gateway) and "${REGTEST_WALLETS.outside}" (npm run regtest).`);
}

async function main() {
  if (existsSync(join(root, '.env'))) process.loadEnvFile(join(root, '.env'));
  const env = { ...process.env };
  env.DATABASE_URL = await postgresUrl();
  env.REDIS_URL = await redisUrl();
  env.GATEWAY_DATABASE_URL ??= withDatabase(env.DATABASE_URL, 'bitro_gateway');
  env.JWT_SECRET ??= devSecret(dataDir, 'jwt-secret');
  env.PIN_HASH_KEY ??= devSecret(dataDir, 'pin-hash-key');
  env.GATEWAY_HMAC_SECRET ??= devSecret(dataDir, 'gateway-hmac-secret');
  applyDevDefaults(env);
  if (env.EMAIL_VERIFICATION_REQUIRED === 'false') {
    log('E-mail verification is OFF (development default): unverified users may redeem, deposit and withdraw. Set EMAIL_VERIFICATION_REQUIRED=true (and SMTP_URL) to try it.');
  }
  mkdirSync(dataDir, { recursive: true });

  log('Building bitro-api, bitcoin-gateway and the regtest node (cached when nothing changed)...');
  buildProjects(root, ['bitro-api', 'bitcoin-gateway', 'regtest-node'], env);

  let failed;
  const exited = new Promise((resolve) => {
    failed = (reason) => resolve(reason);
  });
  await bitcoinNode(env, env.GATEWAY_DATABASE_URL, failed);

  // What this run resolved, for the operator commands (`npm run admin:create`, `npm run regtest`, ...).
  const runtime = ['DATABASE_URL', 'REDIS_URL', 'GATEWAY_DATABASE_URL', 'BITCOIN_RPC_URL', 'BITCOIN_RPC_USER', 'BITCOIN_RPC_PASSWORD', 'BITCOIN_RPC_WALLET'];
  writeFileSync(join(dataDir, 'runtime.env'), runtime.filter((k) => env[k]).map((k) => `${k}=${env[k]}\n`).join(''), { mode: 0o600 });

  await migrateDatabases(env, log);

  const gatewayPort = env.GATEWAY_PORT ?? '3100';
  run('bitcoin-gateway', 'dist/apps/bitcoin-gateway/main.js', [], { ...env, PORT: gatewayPort, METRICS_PORT: env.GATEWAY_METRICS_PORT ?? '9465' }, failed);
  env.GATEWAY_URL ??= `http://127.0.0.1:${gatewayPort}`;
  await waitForHttp(`${env.GATEWAY_URL}/health/live`);
  log(`bitcoin-gateway on ${env.GATEWAY_URL} (internal API, HMAC-signed)`);
  run('bitro-api', 'dist/apps/bitro-api/main.js', [], env, failed);
  log(`bitro-api starting on http://127.0.0.1:${env.PORT ?? 3000} (docs: /docs, readiness: /health/ready)`);

  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => failed(undefined));
  const reason = await exited;
  if (reason) console.error(`[start] ${reason}; stopping the others.`);
  await stopAll();
  process.exit(reason ? 1 : 0);
}

main().catch(async (error) => {
  console.error(`[start] ${error.message ?? error}`);
  await stopAll();
  process.exit(1);
});
