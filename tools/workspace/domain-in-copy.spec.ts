/**
 * The generators for real, with the Nx CLI, in a throw-away copy of the workspace: `--dry-run` writes nothing;
 * `domain loyalty` gives a domain that passes lint, typecheck and its module test, with service-api still passing lint,
 * typecheck and test, bitro-api typecheck and build, and graph:check (declarations included); the generator regenerated
 * docs/modules; its first migration is what Prisma makes of its schema; then `remove-domain loyalty` leaves
 * `git status` clean, docs included.
 *
 * Most of its time goes to the module test's template database (every domain's migrations, once per schema version:
 * the new domain makes a new version).
 *
 * The copy (os.tmpdir()) holds the files git knows (tracked, and new ones not ignored), the generated Prisma clients
 * of the other domains and docs/modules regenerated; node_modules is a symlink to the real one. Nx runs without daemon or cache, with its data in
 * the copy's directory. Nothing is written into the work tree; the copy is removed in afterAll.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const realRoot = resolve(import.meta.dirname, '../..');
const databaseUrl = process.env['TEST_DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const nxPackageJson = createRequire(join(realRoot, 'package.json')).resolve('nx/package.json');
const nxBin = join(dirname(nxPackageJson), JSON.parse(readFileSync(nxPackageJson, 'utf8')).bin.nx);

/** `loyalty`, unless the work tree already has such a domain (someone generated it): then the next free name. */
const NAME = ['loyalty', 'rewards', 'coupons', 'vouchers'].find((name) => !existsSync(join(realRoot, 'libs', name))) ?? 'stamps';

let tmpRoot = '';
let root = '';

/** The environment of every command in the copy: no variable of the vitest or Nx task this spec runs in. */
function copyEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('NX_') && !key.startsWith('VITEST') && key !== 'NODE_ENV'));
  return {
    ...env,
    NO_COLOR: '1',
    FORCE_COLOR: '0',
    NX_DAEMON: 'false',
    NX_TUI: 'false',
    NX_NO_CLOUD: 'true',
    NX_SKIP_NX_CACHE: 'true',
    NX_WORKSPACE_DATA_DIRECTORY: join(tmpRoot, 'nx-data'),
    NX_CACHE_DIRECTORY: join(tmpRoot, 'nx-cache'),
  };
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; output: string } {
  const result = spawnSync(command, args, { cwd: root, env: { ...copyEnv(), ...env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Runs a command in the copy and fails with its output unless it exits with 0. */
function succeed(command: string, args: string[], env?: NodeJS.ProcessEnv): string {
  const { status, output } = run(command, args, env);
  expect(status, `${command} ${args.join(' ')}:\n${output}`).toBe(0);
  return output;
}

const nx = (...args: string[]): string => succeed(process.execPath, [nxBin, ...args]);
const git = (...args: string[]): string => succeed('git', ['-c', 'user.name=domain-spec', '-c', 'user.email=domain-spec@bitro.invalid', '-c', 'commit.gpgsign=false', ...args]);

function createWorkspaceCopy(): void {
  tmpRoot = realpathSync(mkdtempSync(join(tmpdir(), 'bitro-domain-')));
  root = join(tmpRoot, 'workspace');
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: realRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  const files = listed.stdout.split('\0').filter(Boolean);
  for (const file of files) {
    const source = join(realRoot, file);
    if (!existsSync(source)) continue; // deleted in the work tree, not yet in the index
    mkdirSync(dirname(join(root, file)), { recursive: true });
    if (lstatSync(source).isSymbolicLink()) symlinkSync(readlinkSync(source), join(root, file));
    else copyFileSync(source, join(root, file));
  }
  // The other domains' generated Prisma clients (git-ignored), as `npm ci` made them.
  for (const config of files.filter((file) => file.startsWith('libs/') && file.endsWith('/prisma.config.ts'))) {
    const generated = join(dirname(config), 'src', 'generated');
    if (existsSync(join(realRoot, generated))) cpSync(join(realRoot, generated), join(root, generated), { recursive: true });
  }
  symlinkSync(join(realRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
  // The generators regenerate docs/modules: start from docs that match the code (their freshness is docs:modules'
  // own check), so that only the new domain shows in them.
  succeed(process.execPath, ['tools/docs/modules.mjs']);
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'workspace');
}

function removeWorkspaceCopy(): void {
  if (!tmpRoot) return;
  // vitest.shared.mts puts each project's vite cache under node_modules/.vite, named after the project's directory.
  const viteCache = join(realRoot, 'node_modules', '.vite');
  const ours = tmpRoot.replace(/[^a-z0-9]+/gi, '-');
  if (existsSync(viteCache)) for (const entry of readdirSync(viteCache)) if (entry.startsWith(ours)) rmSync(join(viteCache, entry), { recursive: true, force: true });
  rmSync(tmpRoot, { recursive: true, force: true });
  tmpRoot = '';
}
process.once('exit', removeWorkspaceCopy);

describe('nx g @bitro/workspace:domain, in a copy of the workspace', () => {
  beforeAll(createWorkspaceCopy, 300_000);
  afterAll(removeWorkspaceCopy);

  it('--dry-run lists the files and writes nothing', () => {
    const output = nx('g', '@bitro/workspace:domain', NAME, '--dry-run');
    expect(output).toContain(`CREATE libs/${NAME}/project.json`);
    expect(output).toContain('UPDATE apps/bitro-api/src/app/domains.module.ts');
    expect(git('status', '--porcelain')).toBe('');
    expect(existsSync(join(root, `libs/${NAME}`))).toBe(false);
  });

  it('creates the domain, its Prisma client and its module docs', () => {
    nx('g', '@bitro/workspace:domain', NAME);
    expect(existsSync(join(root, `libs/${NAME}/src/generated/prisma/client.ts`))).toBe(true);
    expect(git('status', '--porcelain').split('\n').filter(Boolean).sort()).toEqual([
      ' M apps/bitro-api/src/app/api-info.ts',
      ' M apps/bitro-api/src/app/domains.module.ts',
      ' M docs/modules/README.md',
      ' M docs/openapi.json',
      ' M libs/client/src/generated/schema.d.ts',
      ' M libs/service-api/src/index.ts',
      ' M tsconfig.base.json',
      `?? docs/modules/events/${NAME}.item-created.v1.schema.json`,
      `?? docs/modules/${NAME}.md`,
      `?? libs/${NAME}/`,
      `?? libs/service-api/src/${NAME}/`,
    ]);
  });

  it('the domain lints, typechecks and passes its module test; service-api still does', () => {
    nx('run-many', '-t', 'lint', 'typecheck', 'test', '-p', NAME, 'service-api', '--parallel=2', '--output-style=static');
  });

  it('bitro-api still typechecks and builds, and graph:check passes (the declarations included)', () => {
    nx('run-many', '-t', 'typecheck', 'build', '-p', 'bitro-api', '--parallel=2', '--output-style=static');
    succeed(process.execPath, ['tools/graph/check-graph.mjs']);
  });

  it("is in the OpenAPI document and the client's types the generator regenerated, and the document passes the lint", () => {
    expect(readFileSync(join(root, 'docs/openapi.json'), 'utf8')).toContain(`"/v1/${NAME}/items/{id}"`);
    succeed(process.execPath, ['tools/docs/openapi.mjs', '--check']);
    succeed(process.execPath, ['libs/client/generate.mjs', '--check']);
    succeed(process.execPath, ['node_modules/@redocly/cli/bin/cli.js', 'lint', '--max-problems', '20'], { REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' });
  });

  it("has a first migration that is Prisma's own for its schema", () => {
    const args = ['tools/prisma/prisma.mjs', 'migrate', 'diff', '--config', `libs/${NAME}/prisma.config.ts`];
    const diff = ['--from-migrations', `libs/${NAME}/prisma/migrations`, '--to-schema', `libs/${NAME}/prisma/schema.prisma`, '--exit-code'];
    succeed(process.execPath, [...args, ...diff], { DATABASE_URL: databaseUrl });
  });

  it('remove-domain takes it all out again: git status is clean, the generated client is gone', () => {
    nx('g', '@bitro/workspace:remove-domain', NAME);
    expect(git('status', '--porcelain')).toBe('');
    expect(existsSync(join(root, `libs/${NAME}`))).toBe(false);
  });
});
