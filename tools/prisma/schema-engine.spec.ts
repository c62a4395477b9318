import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPrismaProjects, migrateAll } from './domains.mjs';

// Runs the real Prisma CLI, through tools/prisma/prisma.mjs and the schema-engine stand-in,
// against a scratch database and copies of tools/prisma/fixtures (Postgres schema "fixture").

const ENGINE_HASH = '0edf323efd1d98336f3f0a68684b56f689b900d3';
const adminUrl = process.env['TEST_DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const fixture = join(__dirname, 'fixtures');
const fixtureMigrations = readdirSync(join(fixture, 'prisma', 'migrations')).filter((name) => /^\d+_/.test(name)).sort();
const initMigration = fixtureMigrations.find((name) => name.endsWith('_init'));

const id = randomBytes(6).toString('hex');
// Inside the repo so that each copied prisma.config.ts can resolve `prisma/config`.
const workspace = join(__dirname, `.tmp-${id}`);
const database = `prisma_tools_spec_${id}`;
const databaseUrl = withDatabase(adminUrl, database);
const newDatabase = `${database}_new`;
// Two domains (same fixture, schemas "fixture" and "fixture_b") migrated into one database.
const domains = { fixture: join(workspace, 'libs', 'fixture'), fixture_b: join(workspace, 'libs', 'fixture_b') };
const config = join(domains.fixture, 'prisma.config.ts');
const schemaFile = join(domains.fixture, 'prisma', 'schema.prisma');
const migrationsDir = join(domains.fixture, 'prisma', 'migrations');

function withDatabase(url: string, name: string): string {
  const copy = new URL(url);
  copy.pathname = `/${name}`;
  copy.search = '';
  return copy.toString();
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], url = databaseUrl): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd: workspace, env: { ...process.env, DATABASE_URL: url }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const prisma = (...args: string[]) => run([join(__dirname, 'prisma.mjs'), ...args]);
const prismaOn = (url: string, ...args: string[]) => run([join(__dirname, 'prisma.mjs'), ...args], url);

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

const shadowDatabases = async () =>
  (await query<{ datname: string }>(adminUrl, "SELECT datname FROM pg_database WHERE datname LIKE 'prisma_migrate_shadow_db_%'")).map((row) => row.datname);

beforeAll(() => {
  cpSync(fixture, domains.fixture, { recursive: true, filter: (path) => !path.startsWith(join(fixture, 'src')) });
  cpSync(fixture, domains.fixture_b, { recursive: true, filter: (path) => !path.startsWith(join(fixture, 'src')) });
  for (const file of [
    join(domains.fixture_b, 'prisma.config.ts'),
    join(domains.fixture_b, 'prisma', 'schema.prisma'),
    join(domains.fixture_b, 'prisma', 'migrations', `${initMigration}`, 'migration.sql'),
  ]) {
    writeFileSync(file, readFileSync(file, 'utf8').replace(/(["'])fixture\1/g, '$1fixture_b$1'));
  }
});

afterAll(async () => {
  for (const name of [database, newDatabase]) await query(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  rmSync(workspace, { recursive: true, force: true });
});

describe('schema-engine stand-in', () => {
  it('answers --version like the native binary, and the CLI reports it', async () => {
    const engine = await run([join(__dirname, 'schema-engine.mjs'), '--version']);
    expect(engine).toMatchObject({ code: 0, stdout: `schema-engine-cli ${ENGINE_HASH}\n` });

    const cli = await prisma('--version');
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(new RegExp(`Schema Engine\\s+: schema-engine-cli ${ENGINE_HASH} \\(at .*schema-engine\\.mjs, resolved by PRISMA_SCHEMA_ENGINE_BINARY\\)`));
  });

  it('validates the schema', async () => {
    const result = await prisma('validate', '--config', config);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('is valid');
  });

  it('generates the client', async () => {
    const output = join(domains.fixture, 'src', 'generated', 'prisma');
    const result = await prisma('generate', '--config', config);
    expect(result.code, result.stderr).toBe(0);
    for (const file of ['client.ts', 'models/Author.ts', 'models/Post.ts']) expect(existsSync(join(output, file)), file).toBe(true);
  });

  it("migrate deploy (migrateAll) keeps each domain's tables and history in its own schema", async () => {
    expect(listPrismaProjects(workspace)).toEqual([config, join(domains.fixture_b, 'prisma.config.ts')]);
    await migrateAll({ databaseUrl, root: workspace, log: () => undefined });

    const tables = await query<{ table_schema: string; table_name: string }>(
      databaseUrl,
      "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2",
    );
    expect(tables.map((t) => `${t.table_schema}.${t.table_name}`)).toEqual([
      'fixture.Author',
      'fixture.Post',
      'fixture._prisma_migrations',
      'fixture_b.Author',
      'fixture_b.Post',
      'fixture_b._prisma_migrations',
    ]);

    for (const schema of Object.keys(domains)) {
      const history = await query<{ migration_name: string; finished: boolean; rolled_back: boolean; applied_steps_count: number }>(
        databaseUrl,
        `SELECT migration_name, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back, applied_steps_count
           FROM "${schema}"._prisma_migrations ORDER BY migration_name`,
      );
      expect(history).toEqual(fixtureMigrations.map((migration_name) => ({ migration_name, finished: true, rolled_back: false, applied_steps_count: 1 })));
    }
    // The handwritten migration ran as one script, not split at the `;` inside its literal.
    const [comment] = await query<{ comment: string }>(databaseUrl, `SELECT obj_description('fixture."Author"'::regclass) AS comment`);
    expect(comment?.comment).toBe('Who writes posts; one row per email address.');
  });

  it('migrate status reports the database up to date', async () => {
    const result = await prisma('migrate', 'status', '--config', config);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain(`${fixtureMigrations.length} migrations found in prisma/migrations`);
    expect(result.stdout).toContain('Database schema is up to date!');
  });

  it('migrate diff finds nothing between the migrations, the database and the schema', async () => {
    const before = await shadowDatabases();
    const fromMigrations = await prisma('migrate', 'diff', '--config', config, '--from-migrations', migrationsDir, '--to-schema', schemaFile, '--script');
    expect(fromMigrations.code, fromMigrations.stderr).toBe(0);
    expect(fromMigrations.stdout.trim()).toBe('-- This is an empty migration.');
    // --from-migrations replays them in a temporary shadow database, which must be gone again.
    expect((await shadowDatabases()).filter((name) => !before.includes(name))).toEqual([]);

    const fromDatabase = await prisma('migrate', 'diff', '--config', config, '--from-config-datasource', '--to-schema', schemaFile, '--exit-code');
    expect(fromDatabase.code, fromDatabase.stderr).toBe(0);
    expect(fromDatabase.stdout).toContain('No difference detected.');
  });

  it('migrate diff prints the SQL for a changed schema', async () => {
    const schema = readFileSync(schemaFile, 'utf8');
    expect(schema).toContain('  name  String?\n');
    writeFileSync(
      schemaFile,
      `${schema.replace('  name  String?\n', '  name  String?\n  bio   String?\n')}
model Tag {
  id    Int    @id @default(autoincrement())
  label String @unique

  @@schema("fixture")
}
`,
    );

    for (const from of [['--from-migrations', migrationsDir], ['--from-config-datasource']]) {
      const result = await prisma('migrate', 'diff', '--config', config, ...from, '--to-schema', schemaFile, '--script', '--exit-code');
      expect(result.code, result.stderr).toBe(2);
      expect(result.stdout).toContain('ALTER TABLE "Author" ADD COLUMN     "bio" TEXT;');
      expect(result.stdout).toMatch(/CREATE TABLE "Tag" \(\s+"id" SERIAL NOT NULL,\s+"label" TEXT NOT NULL,/);
      expect(result.stdout).toContain('CREATE UNIQUE INDEX "Tag_label_key" ON "Tag"("label");');
    }
  });

  const historyOf = async (schema: string) =>
    (await query<{ migration_name: string }>(databaseUrl, `SELECT migration_name FROM "${schema}"._prisma_migrations ORDER BY migration_name`)).map(
      (row) => row.migration_name,
    );

  it('migrate dev creates and applies the next migration', async () => {
    const result = await prisma('migrate', 'dev', '--config', config, '--name', 'add_bio_and_tag');
    expect(result.code, result.stdout + result.stderr).toBe(0);

    const created = readdirSync(migrationsDir).find((name) => name.endsWith('_add_bio_and_tag'));
    expect(created).toBeDefined();
    expect(readFileSync(join(migrationsDir, `${created}`, 'migration.sql'), 'utf8')).toContain('ALTER TABLE "Author" ADD COLUMN     "bio" TEXT;');
    expect(await historyOf('fixture')).toEqual([...fixtureMigrations, created]);
    expect(await historyOf('fixture_b')).toEqual(fixtureMigrations);
    expect((await prisma('migrate', 'status', '--config', config)).stdout).toContain('Database schema is up to date!');
  });

  it('migrate dev on a new database creates it and applies the whole history', async () => {
    // Exercises the stand-in's refill of the wasm engine's migrations-schema cache.
    const url = withDatabase(adminUrl, newDatabase);
    const result = await prismaOn(url, 'migrate', 'dev', '--config', config);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain(`PostgreSQL database ${newDatabase} created`);
    expect(result.stdout).toContain('Your database is now in sync with your schema.');
    const history = await query<{ migration_name: string }>(url, 'SELECT migration_name FROM fixture._prisma_migrations ORDER BY 1');
    expect(history.map((row) => row.migration_name)).toEqual(readdirSync(migrationsDir).filter((name) => /^\d+_/.test(name)).sort());
  });

  it("migrate reset rebuilds one domain's schema and leaves the other domains alone", async () => {
    await query(databaseUrl, `INSERT INTO fixture."Author" (email) VALUES ('a@example.com')`);
    await query(databaseUrl, `INSERT INTO fixture_b."Author" (email) VALUES ('b@example.com')`);

    const result = await prisma('migrate', 'reset', '--force', '--config', config);
    expect(result.code, result.stdout + result.stderr).toBe(0);

    expect(await query(databaseUrl, 'SELECT email FROM fixture."Author"')).toEqual([]);
    expect(await query(databaseUrl, 'SELECT email FROM fixture_b."Author"')).toEqual([{ email: 'b@example.com' }]);
    expect(await historyOf('fixture')).toHaveLength(3);
    expect(await historyOf('fixture_b')).toHaveLength(2);
  });
});
