#!/usr/bin/env node
// Runs an operator command of bitro-api (`node tools/dev/run-command.mjs admin:create --email ...`, behind
// `npm run admin:create`, `npm run ledger:verify`, ...) or of bitcoin-gateway (`--app bitcoin-gateway <command>`, behind
// `npm run gateway -- <command>`) against what `npm start` uses: .env first, then what the last `npm start`
// resolved in .data/runtime.env, then the local defaults.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { devSecret } from './services.mjs';

const root = join(import.meta.dirname, '..', '..');
const dataDir = join(root, '.data');
for (const file of ['.env', '.data/runtime.env']) {
  if (existsSync(join(root, file))) process.loadEnvFile(join(root, file));
}
let args = process.argv.slice(2);
let app = 'bitro-api';
if (args[0] === '--app') {
  app = args[1];
  args = args.slice(2);
}
process.env.DATABASE_URL ??= 'postgresql://postgres@127.0.0.1:5432/bitro';
process.env.REDIS_URL ??= 'redis://127.0.0.1:6379';
// The secrets `npm start` uses, so a command sees what the servers see.
if (app === 'bitro-api') {
  process.env.JWT_SECRET ??= devSecret(dataDir, 'jwt-secret');
  process.env.PIN_HASH_KEY ??= devSecret(dataDir, 'pin-hash-key');
  // Commands run no HTTP server, no queue worker and no scheduler.
  process.env.BITRO_ROLES = 'http';
} else if (app === 'bitcoin-gateway') {
  process.env.GATEWAY_DATABASE_URL ??= 'postgresql://postgres@127.0.0.1:5432/bitro_gateway';
  process.env.BITCOIN_RPC_PASSWORD ??= devSecret(dataDir, 'regtest-rpc-password');
  process.env.BITCOIN_RPC_USER ??= 'bitro';
} else {
  console.error(`Unknown app "${app}" (bitro-api, bitcoin-gateway).`);
  process.exit(2);
}
process.env.GATEWAY_HMAC_SECRET ??= devSecret(dataDir, 'gateway-hmac-secret');

const build = spawnSync('npx', ['nx', 'build', app, '--output-style=static'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
if (build.status !== 0) process.exit(build.status ?? 1);
const run = spawnSync(process.execPath, [join(root, `dist/apps/${app}/main.js`), ...args], { stdio: 'inherit' });
process.exit(run.status ?? 1);
