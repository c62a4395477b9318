import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pg from 'pg';
// Declares the `templateDatabase` key of vitest's ProvidedContext.
import type {} from '@bitro/testing';
import type { TestProject } from 'vitest/node';
import { listPrismaProjects, migrateAll } from '../prisma/domains.mjs';

const root = join(import.meta.dirname, '..', '..');
const adminUrl = process.env['TEST_DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (entry === 'node_modules' || entry === 'generated') return [];
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** A name that changes whenever any domain's schema or migrations change. */
function templateName(): string {
  const hash = createHash('sha256');
  for (const config of listPrismaProjects(root).sort()) {
    for (const file of filesUnder(join(dirname(config), 'prisma')).sort()) hash.update(file).update(readFileSync(file));
  }
  return `bitro_tpl_${hash.digest('hex').slice(0, 16)}`;
}

function urlOf(database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * Prepares, once per schema version, a template database with every domain's migrations applied;
 * each test file then clones it (CREATE DATABASE ... TEMPLATE), which takes milliseconds.
 */
export default async function setup(project: TestProject): Promise<void> {
  const name = templateName();
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    // Several vitest processes (nx runs projects in parallel) may get here at once.
    await client.query('SELECT pg_advisory_lock(hashtext($1))', ['bitro-test-template']);
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) {
      const building = `${name}_build`;
      await client.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
      await client.query(`CREATE DATABASE "${building}"`);
      await migrateAll({ databaseUrl: urlOf(building) });
      await client.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
      // Keep the newest templates: other runs (other work trees, other branches' schemas) may be cloning them right
      // now; with only a few kept, a handful of trees tested at once dropped each other's.
      const stale = await client.query(
        "SELECT datname FROM pg_database WHERE datname LIKE 'bitro\\_tpl\\_%' AND datname <> $1 ORDER BY oid DESC OFFSET 8",
        [name],
      );
      for (const row of stale.rows) await client.query(`DROP DATABASE IF EXISTS "${row.datname}"`).catch(() => undefined);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', ['bitro-test-template']).catch(() => undefined);
    await client.end();
  }
  project.provide('templateDatabase', name);
}
