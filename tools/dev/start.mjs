#!/usr/bin/env node
// `npm start`: bitro-api on port 3000 against local PostgreSQL and Redis, with nothing to edit.
// Uses DATABASE_URL / REDIS_URL when set (or in .env); otherwise the local defaults, falling back
// to an embedded PostgreSQL under .data/ and a redis-server child process.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrateAll } from '../prisma/domains.mjs';
import { canQueryPostgres, devSecret, ensureDatabase, hasCommand, isListening, startEmbeddedPostgres, startRedisServer } from './services.mjs';

const root = join(import.meta.dirname, '..', '..');
const dataDir = join(root, '.data');
const log = (message) => console.log(`[start] ${message}`);
const cleanups = [];

async function stopAll() {
  for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
}

async function postgresUrl() {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const local = 'postgresql://postgres@127.0.0.1:5432/bitro';
  const server = new URL(local);
  server.pathname = '/postgres';
  if (await canQueryPostgres(server.toString())) return local;
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

async function main() {
  if (existsSync(join(root, '.env'))) process.loadEnvFile(join(root, '.env'));
  const env = { ...process.env };
  env.DATABASE_URL = await postgresUrl();
  env.REDIS_URL = await redisUrl();
  env.JWT_SECRET ??= devSecret(dataDir, 'jwt-secret');
  env.PIN_HASH_KEY ??= devSecret(dataDir, 'pin-hash-key');
  mkdirSync(dataDir, { recursive: true });

  // What this run resolved, for `npm run admin:create` and other operator commands.
  writeFileSync(join(dataDir, 'runtime.env'), `DATABASE_URL=${env.DATABASE_URL}\nREDIS_URL=${env.REDIS_URL}\n`, { mode: 0o600 });
  if (await ensureDatabase(env.DATABASE_URL)) log('Created the database.');
  log('Applying migrations...');
  await migrateAll({ databaseUrl: env.DATABASE_URL, quiet: true });

  log('Building bitro-api (cached when nothing changed)...');
  const build = spawnSync('npx', ['nx', 'build', 'bitro-api', '--output-style=static'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env });
  if (build.status !== 0) throw new Error('The build failed; run `npx nx build bitro-api` to see why.');

  const app = spawn(process.execPath, ['--enable-source-maps', join(root, 'dist/apps/bitro-api/main.js')], { cwd: root, stdio: 'inherit', env });
  log(`bitro-api starting on http://127.0.0.1:${env.PORT ?? 3000} (docs: /docs, readiness: /health/ready)`);
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => app.kill(signal));
  const code = await new Promise((resolve) => app.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 0 : 1))));
  await stopAll();
  process.exit(code);
}

main().catch(async (error) => {
  console.error(`[start] ${error.message ?? error}`);
  await stopAll();
  process.exit(1);
});
