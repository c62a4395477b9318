#!/usr/bin/env node
// Runs one of bitro-api's operator commands (`node tools/dev/run-command.mjs admin:create --email ...`,
// behind `npm run admin:create`, `npm run ledger:verify`, ...) against the database `npm start` uses:
// .env first, then what the last `npm start` resolved in .data/runtime.env, then the local defaults.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { devSecret } from './services.mjs';

const root = join(import.meta.dirname, '..', '..');
for (const file of ['.env', '.data/runtime.env']) {
  if (existsSync(join(root, file))) process.loadEnvFile(join(root, file));
}
process.env.DATABASE_URL ??= 'postgresql://postgres@127.0.0.1:5432/bitro';
process.env.REDIS_URL ??= 'redis://127.0.0.1:6379';
// The secrets `npm start` uses, so a command sees what the server sees.
process.env.JWT_SECRET ??= devSecret(join(root, '.data'), 'jwt-secret');
process.env.PIN_HASH_KEY ??= devSecret(join(root, '.data'), 'pin-hash-key');
// Commands run no HTTP server, no queue worker and no scheduler.
process.env.BITRO_ROLES = 'http';

const build = spawnSync('npx', ['nx', 'build', 'bitro-api', '--output-style=static'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
if (build.status !== 0) process.exit(build.status ?? 1);
const run = spawnSync(process.execPath, [join(root, 'dist/apps/bitro-api/main.js'), ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
