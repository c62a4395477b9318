#!/usr/bin/env node
// Runs Prisma for every domain library's own Prisma project (libs/**/prisma.config.ts):
//   node tools/prisma/domains.mjs generate   (postinstall; no database needed)
//   node tools/prisma/domains.mjs migrate [bitro|gateway]   (migrate deploy each project on DATABASE_URL;
//                                                          all of them, or those of one process's database)
// Each prisma.config.ts appends `?schema=<domain>` to DATABASE_URL, which keeps the domain's
// tables and its `_prisma_migrations` history in its own Postgres schema.
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const prismaCli = fileURLToPath(new URL('./prisma.mjs', import.meta.url));

/** Absolute paths of every `prisma.config.ts` under `<root>/libs`, sorted. */
export function listPrismaProjects(root = repoRoot) {
  const found = [];
  const walk = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      if (error.code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      if (entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.')) walk(join(dir, entry.name));
      else if (entry.isFile() && entry.name === 'prisma.config.ts') found.push(join(dir, entry.name));
    }
  };
  walk(resolve(root, 'libs'));
  return found.sort();
}

/** Runs `node tools/prisma/prisma.mjs <args>`; throws with the CLI's output if it fails. */
export function runPrisma(args, { env = process.env, cwd = repoRoot } = {}) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [prismaCli, ...args], { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve({ stdout, stderr });
      const exit = error.code ?? error.signal;
      reject(new Error(`prisma ${args.join(' ')} failed (exit ${exit}):\n${stdout}${stderr}`));
    });
  });
}

export async function generateAll({ root = repoRoot, log = console.log } = {}) {
  for (const config of listPrismaProjects(root)) {
    await runPrisma(['generate', '--config', config], { cwd: root });
    log(`prisma generate: ${relative(root, config)}`);
  }
}

/**
 * Which Prisma projects each process's database holds: bitro-api's everything but the gateway's schema; the gateway's
 * its own schema and the messaging tables (its outbox and inbox).
 */
export const DATABASE_PROJECTS = {
  all: () => true,
  bitro: (config) => !config.includes('/libs/bitcoin/'),
  gateway: (config) => config.includes('/libs/bitcoin/') || config.includes('/libs/shared/messaging/'),
};

export async function migrateAll({ databaseUrl = process.env.DATABASE_URL, root = repoRoot, log = console.log, database = 'all' } = {}) {
  if (!databaseUrl) throw new Error('migrateAll: no databaseUrl given and DATABASE_URL is not set.');
  const belongs = DATABASE_PROJECTS[database];
  if (!belongs) throw new Error(`migrateAll: unknown database "${database}" (${Object.keys(DATABASE_PROJECTS).join(', ')}).`);
  // One project at a time: the first run may create the database itself.
  for (const config of listPrismaProjects(root).filter(belongs)) {
    await runPrisma(['migrate', 'deploy', '--config', config], { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl } });
    log(`prisma migrate deploy: ${relative(root, config)}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const commands = { generate: () => generateAll(), migrate: () => migrateAll({ database: process.argv[3] ?? 'all' }) };
  const command = commands[process.argv[2]];
  if (!command) {
    console.error('usage: node tools/prisma/domains.mjs generate | migrate [bitro|gateway]');
    process.exit(2);
  }
  command().catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
