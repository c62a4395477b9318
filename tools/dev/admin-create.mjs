#!/usr/bin/env node
// `npm run admin:create -- --email ...`: runs bitro-api's admin:create command against the
// database `npm start` uses (.env, then what the last `npm start` resolved in .data/runtime.env).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
for (const file of ['.env', '.data/runtime.env']) {
  if (existsSync(join(root, file))) process.loadEnvFile(join(root, file));
}
process.env.DATABASE_URL ??= 'postgresql://postgres@127.0.0.1:5432/bitro';
process.env.REDIS_URL ??= 'redis://127.0.0.1:6379';
if (!process.env.JWT_SECRET && existsSync(join(root, '.data/jwt-secret'))) {
  process.env.JWT_SECRET = readFileSync(join(root, '.data/jwt-secret'), 'utf8').trim();
}
// The command signs no token and hashes no PIN, but bitro-api's environment schema requires both secrets.
process.env.JWT_SECRET ??= 'not-used-by-admin-create-0123456789abcdef';
process.env.PIN_HASH_KEY ??= 'not-used-by-admin-create-0123456789abcdef';

const build = spawnSync('npx', ['nx', 'build', 'bitro-api', '--output-style=static'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
if (build.status !== 0) process.exit(build.status ?? 1);
const run = spawnSync(process.execPath, [join(root, 'dist/apps/bitro-api/main.js'), 'admin:create', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
