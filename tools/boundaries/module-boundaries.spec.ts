/**
 * Proves that the module boundaries of eslint.config.mjs bite, with the REAL lint rule and
 * the REAL project graph: it writes temporary files/projects with forbidden imports, runs
 * ESLint (the CLI that `nx lint` runs, with `--format json` to see rule and message ids)
 * and `node tools/graph/check-graph.mjs` once over all of them, and asserts that every
 * rule class is reported; and, before any of them is added, that the clean tree has no
 * boundary error and graph:check passes.
 *
 * NOTHING is written into the work tree: `npm test` lints, typechecks and builds the other
 * projects in parallel with this test, and they would see the temporary files. Everything
 * happens in a throw-away copy of the workspace in os.tmpdir() (configuration files and the
 * apps/, libs/, tools/ trees without build output, caches and generated code; node_modules
 * is a symlink to the real one), where ESLint and the copy's own tools/graph/check-graph.mjs
 * run with the copy as cwd (check-graph.mjs takes the workspace root from its own location,
 * Nx and the Nx lint rule from the cwd). The copy is removed in afterAll (and, as a last
 * resort, on process exit) even when an assertion fails.
 *
 * The Nx project graph is computed with NX_DAEMON=false into a private, fresh
 * NX_WORKSPACE_DATA_DIRECTORY: the lint rule only reads the CACHED graph
 * (readCachedProjectGraph), so it must be the graph that includes the temporary
 * projects, and no daemon ever sees nor serves a graph with the temporary projects.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The real workspace: only read (copied), never written. */
const realRoot = resolve(import.meta.dirname, '../..');
const require = createRequire(join(realRoot, 'package.json'));
const eslintBin = join(dirname(require.resolve('eslint/package.json')), 'bin/eslint.js');

const BOUNDARY_RULES = ['@nx/enforce-module-boundaries', 'no-restricted-imports'];
const HEADER = '// Temporary file of tools/boundaries/module-boundaries.spec.ts (written in a throw-away copy of the workspace).\n';

const id = `${Date.now().toString(36)}${process.pid.toString(36)}`;
const P = `zz-tmp-boundaries-${id}`;

/** What the copy needs for Nx (project graph, plugins), ESLint and check-graph.mjs. */
const COPIED_FILES = ['nx.json', 'package.json', 'package-lock.json', 'tsconfig.base.json', 'eslint.config.mjs', 'vitest.shared.mts', '.gitignore', '.nxignore', 'webpack.shared.cjs'];
const COPIED_TREES = ['apps', 'libs', 'tools'];
/** Directory or file names never copied (dependencies, build output, caches, local data, generated code). */
const EXCLUDED_NAMES = new Set(['node_modules', 'dist', '.nx', '.data', 'tmp', 'coverage', 'generated']);
const EXCLUDED_PATHS = new Set([join('tools', 'prisma', '.tmp')]);

/** The throw-away directory: the workspace copy and the Nx data directories. */
let tmpRoot = '';
/** The root of the workspace copy, where everything is written and run. */
let root = '';

function createWorkspaceCopy(): void {
  // realpath: ESLint reports real paths (macOS' /tmp is a symlink), and they are made relative to `root`
  tmpRoot = realpathSync(mkdtempSync(join(tmpdir(), `bitro-boundaries-${id}-`)));
  root = join(tmpRoot, 'workspace');
  mkdirSync(root);
  for (const file of COPIED_FILES) {
    if (existsSync(join(realRoot, file))) cpSync(join(realRoot, file), join(root, file));
  }
  for (const tree of COPIED_TREES) {
    cpSync(join(realRoot, tree), join(root, tree), {
      recursive: true,
      filter: (source) => {
        const path = relative(realRoot, source);
        // leftovers of an older version of this test, which wrote into the work tree
        return !EXCLUDED_NAMES.has(basename(path)) && !EXCLUDED_PATHS.has(path) && !basename(path).startsWith('zz-tmp-boundaries-');
      },
    });
  }
  symlinkSync(join(realRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
}
function removeWorkspaceCopy(): void {
  if (tmpRoot) rmSync(tmpRoot, { recursive: true, force: true });
  tmpRoot = '';
}
// Last resort if the worker dies before afterAll (afterAll is the normal path).
process.once('exit', removeWorkspaceCopy);

/** The temporary projects (directories) and files (inside existing projects), relative to the copy. */
const tmp = {
  domain: { name: `${P}-domain`, dir: `libs/${P}-domain` },
  bitcoinContract: { name: `${P}-bitcoin-contract`, dir: `libs/${P}-bitcoin-contract` },
  bitcoinApp: { name: `${P}-bitcoin-app`, dir: `apps/${P}-bitcoin-app` },
  shared: { name: `${P}-shared`, dir: `libs/${P}-shared` },
  serviceApi: { name: `${P}-service-api`, dir: `libs/${P}-service-api` },
  contract: { name: `${P}-contract`, dir: `libs/${P}-contract` },
  sharedToDomain: `libs/shared/config/src/${P}-shared-to-domain.ts`,
  serviceApiToDomain: `libs/service-api/src/${P}-service-api-to-domain.ts`,
  deepImport: `apps/bitro-api/src/${P}-deep-import.ts`,
  relativeImport: `libs/shared/http/src/${P}-relative-import.ts`,
};
const lintedFiles = {
  domainToDomain: `${tmp.domain.dir}/src/index.ts`,
  bitcoinToBitro: `${tmp.bitcoinApp.dir}/src/main.ts`,
  sharedToDomain: `${tmp.shared.dir}/src/index.ts`,
  serviceApiToDomain: `${tmp.serviceApi.dir}/src/index.ts`,
  contractToDomain: `${tmp.contract.dir}/src/index.ts`,
  sharedConfigToDomain: tmp.sharedToDomain,
  realServiceApiToDomain: tmp.serviceApiToDomain,
  deepImport: tmp.deepImport,
  relativeImport: tmp.relativeImport,
};

function write(relativePath: string, content: string): void {
  const path = join(root, relativePath);
  if (existsSync(path)) throw new Error(`refusing to overwrite ${relativePath}`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}
/** A temporary file inside an existing project (whose directory must exist: nothing else is created there). */
function createFile(relativePath: string, content: string): void {
  if (!existsSync(join(root, dirname(relativePath)))) throw new Error(`${dirname(relativePath)} does not exist`);
  write(relativePath, content);
}
function createProject(p: { name: string; dir: string }, projectJson: object, files: Record<string, string>): void {
  if (existsSync(join(root, p.dir))) throw new Error(`refusing to reuse ${p.dir}`);
  write(`${p.dir}/project.json`, `${JSON.stringify({ name: p.name, ...projectJson }, null, 2)}\n`);
  for (const [file, content] of Object.entries(files)) write(`${p.dir}/${file}`, content);
}

/** Env of a run: no daemon, and a graph cache of our own (inside the throw-away directory), computed from scratch. */
function nxEnv(): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(tmpRoot, 'nx-workspace-data-'));
  return { ...process.env, NX_DAEMON: 'false', NX_WORKSPACE_DATA_DIRECTORY: dir, NX_TUI: 'false', NX_NO_CLOUD: 'true' };
}

/** The copy's tools/graph/check-graph.mjs (its workspace root is where it lies: the copy). */
function runGraphCheck(env: NodeJS.ProcessEnv) {
  const r = spawnSync(process.execPath, [join(root, 'tools/graph/check-graph.mjs')], { cwd: root, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

interface LintMessage {
  ruleId: string | null;
  messageId?: string;
  message: string;
  severity: number;
}
/** ESLint as `nx lint` runs it (its CLI, root config), over files or directories of the copy; must run after runGraphCheck with the same env. */
function runEslint(env: NodeJS.ProcessEnv, targets: string[]): Map<string, LintMessage[]> {
  const r = spawnSync(process.execPath, [eslintBin, '--format', 'json', '--no-warn-ignored', ...targets], {
    cwd: root,
    env,
    encoding: 'utf8',
    maxBuffer: 256 << 20,
  });
  if (r.status !== 0 && r.status !== 1) throw new Error(`eslint exited with ${r.status ?? r.signal}:\n${r.stdout}${r.stderr}`);
  // The Nx rule writes "No cached ProjectGraph is available. The rule will be skipped." to stdout, before the JSON.
  const out = r.stdout.trimStart();
  if (!out.startsWith('[')) throw new Error(`unexpected ESLint output (Nx lint rule skipped?):\n${out.slice(0, 2000)}`);
  const results = JSON.parse(out) as { filePath: string; messages: LintMessage[] }[];
  return new Map(results.map((res) => [relative(root, resolve(res.filePath)), res.messages]));
}

const boundaryMessages = (messages: LintMessage[] = []) =>
  messages
    .filter((m) => m.ruleId !== null && BOUNDARY_RULES.includes(m.ruleId))
    .map(({ ruleId, messageId, message }) => ({ ruleId, messageId, message }));

const onlyTags = (sourceTag: string) => `A project tagged with "${sourceTag}" can only depend on libs tagged with`;
const onlyTagsError = (sourceTag: string) => ({
  ruleId: '@nx/enforce-module-boundaries',
  messageId: 'onlyTagsConstraintViolation',
  message: expect.stringContaining(onlyTags(sourceTag)),
});

/** The graph:check line of the edge `source -> target`, or undefined. */
const edgeLine = (output: string, source: string, target: string) =>
  output.split('\n').find((line) => line.startsWith(`${source} (`) && line.includes(`) -> ${target} (`));

const importUser = `${HEADER}import * as user from '@bitro/user';\n\nexport const zzTmpProbe = user;\n`;
const library = (p: { dir: string }, tags: string[]) => ({ projectType: 'library', sourceRoot: `${p.dir}/src`, tags });

describe('module boundaries (real ESLint and Nx graph, in a throw-away copy of the workspace)', () => {
  beforeAll(createWorkspaceCopy, 60_000);
  afterAll(removeWorkspaceCopy);

  describe('the clean tree (the copy, before any violation is added)', () => {
    let graph: { status: number | null; output: string };
    let lint: Map<string, LintMessage[]>;

    beforeAll(() => {
      const env = nxEnv();
      graph = runGraphCheck(env);
      lint = runEslint(env, ['apps', 'libs', 'tools']);
    }, 120_000);

    const errorsIn = (select: (file: string) => boolean) =>
      [...lint]
        .filter(([file]) => select(file))
        .flatMap(([file, messages]) => boundaryMessages(messages).map((m) => `${file}: ${m.ruleId} (${m.messageId}) ${m.message}`));
    const isEslintConfig = (file: string) => /(^|\/)eslint\.config\.[cm]?js$/.test(file);

    it('graph:check passes', () => {
      expect(graph.status, graph.output).toBe(0);
      expect(graph.output).toMatch(/^graph:check: OK, \d+ projects and \d+ project-to-project edges checked/m);
      expect(graph.output).not.toContain(P);
    });

    it('lint reports no boundary error in the sources', () => {
      expect([...lint.keys()].some((file) => file.includes(P))).toBe(false);
      expect(errorsIn((file) => !isEslintConfig(file))).toEqual([]);
    });

    it("lint reports no boundary error in the projects' eslint.config.mjs", () => {
      // `export { default } from '../../eslint.config.mjs'` is a relative import of a file outside any project:
      // the Nx rule must not apply to these files (`nx lint <project>` lints them too).
      expect(
        errorsIn(isEslintConfig),
        "the root eslint.config.mjs applies @nx/enforce-module-boundaries to **/*.mjs, so to every project's eslint.config.mjs: " +
          "turn the rule off for '**/eslint.config.mjs'",
      ).toEqual([]);
    });
  });

  describe('with a forbidden import of every rule class', () => {
    let graph: { status: number | null; output: string };
    let lint: Map<string, LintMessage[]>;

    beforeAll(() => {
      // type:domain -> type:domain: a second bitro domain importing @bitro/user. It also depends
      // implicitly (project.json) on a bitcoin-scoped contract: an edge that breaks only the scope
      // rule (a domain may use a contract), and that only the graph check can see.
      createProject(
        tmp.domain,
        { ...library(tmp.domain, ['type:domain', 'scope:bitro']), implicitDependencies: [tmp.bitcoinContract.name] },
        { 'src/index.ts': importUser },
      );
      createProject(tmp.bitcoinContract, library(tmp.bitcoinContract, ['type:contract', 'scope:bitcoin']), {
        'src/index.ts': `${HEADER}export const zzTmpProbe = 1;\n`,
      });
      // scope:bitcoin -> scope:bitro: a bitcoin app (which may use domains by type) importing the bitro domain.
      createProject(
        tmp.bitcoinApp,
        { projectType: 'application', sourceRoot: `${tmp.bitcoinApp.dir}/src`, tags: ['type:app', 'scope:bitcoin'] },
        { 'src/main.ts': importUser },
      );
      // shared / service-api / contract -> domain, from projects the domain does not depend on
      // (so that lint reports the tag rule and not a circular dependency)...
      createProject(tmp.shared, library(tmp.shared, ['type:shared', 'scope:shared']), { 'src/index.ts': importUser });
      createProject(tmp.serviceApi, library(tmp.serviceApi, ['type:service-api', 'scope:shared']), { 'src/index.ts': importUser });
      createProject(tmp.contract, library(tmp.contract, ['type:contract', 'scope:shared']), { 'src/index.ts': importUser });
      // ...and from the real libs, which the domain does depend on.
      createFile(tmp.sharedToDomain, importUser);
      createFile(tmp.serviceApiToDomain, importUser);
      // deep import through the alias, and relative import across libs
      createFile(tmp.deepImport, `${HEADER}import * as user from '@bitro/user/src/index';\n\nexport const zzTmpProbe = user;\n`);
      createFile(tmp.relativeImport, `${HEADER}import * as user from '../../../user/src/index';\n\nexport const zzTmpProbe = user;\n`);

      const env = nxEnv();
      graph = runGraphCheck(env); // computes (and caches, in env's data dir) the graph the lint rule reads
      lint = runEslint(env, Object.values(lintedFiles));
    }, 120_000);

    it('graph:check fails and prints every forbidden edge', () => {
      expect(graph.status, graph.output).toBe(1);
      const o = graph.output;

      const domainToDomain = edgeLine(o, tmp.domain.name, 'user');
      expect(domainToDomain, o).toMatch(new RegExp(`^${P}-domain \\(type:domain, scope:bitro\\) -> user \\(type:domain, scope:bitro\\): `));
      expect(domainToDomain).toContain(onlyTags('type:domain'));

      for (const [source, rule] of [
        [tmp.shared.name, 'type:shared'],
        [tmp.serviceApi.name, 'type:service-api'],
        [tmp.contract.name, 'type:contract'],
        ['shared-config', 'type:shared'],
        ['service-api', 'type:service-api'],
        ['shared-http', 'type:shared'], // the relative import is a real graph edge too
      ]) {
        const line = edgeLine(o, source, 'user');
        expect(line, `${source} -> user in:\n${o}`).toContain(onlyTags(rule));
        expect(line).toContain(onlyTags('scope:shared')); // every violated constraint is listed
      }

      const bitcoinToBitro = edgeLine(o, tmp.bitcoinApp.name, 'user');
      expect(bitcoinToBitro, o).toContain(onlyTags('scope:bitcoin'));
      expect(bitcoinToBitro).not.toContain(onlyTags('type:app'));

      const bitroToBitcoin = edgeLine(o, tmp.domain.name, tmp.bitcoinContract.name);
      expect(bitroToBitcoin, o).toContain(`-> ${P}-bitcoin-contract (type:contract, scope:bitcoin): `);
      expect(bitroToBitcoin).toContain(onlyTags('scope:bitro'));
      expect(bitroToBitcoin).not.toContain(onlyTags('type:domain'));
      expect(bitroToBitcoin).toMatch(/\[implicit dependency\]$/);
    });

    it('lint: a domain importing another domain', () => {
      expect(boundaryMessages(lint.get(lintedFiles.domainToDomain))).toEqual([onlyTagsError('type:domain')]);
    });

    it('lint: shared, service-api and contract libs importing a domain', () => {
      // one message per import: the Nx rule stops at the first violated constraint (type:* comes before scope:*)
      expect(boundaryMessages(lint.get(lintedFiles.sharedToDomain))).toEqual([onlyTagsError('type:shared')]);
      expect(boundaryMessages(lint.get(lintedFiles.serviceApiToDomain))).toEqual([onlyTagsError('type:service-api')]);
      expect(boundaryMessages(lint.get(lintedFiles.contractToDomain))).toEqual([onlyTagsError('type:contract')]);
    });

    it('lint: the real shared-config and service-api importing the domain (that depends on them)', () => {
      // The Nx rule checks for a cycle before the tags: as long as libs/user depends on the lib,
      // the import is reported as a circular dependency; otherwise as the tag rule.
      for (const [file, project, tag] of [
        [lintedFiles.sharedConfigToDomain, 'shared-config', 'type:shared'],
        [lintedFiles.realServiceApiToDomain, 'service-api', 'type:service-api'],
      ]) {
        const messages = boundaryMessages(lint.get(file));
        expect(messages, file).toHaveLength(1);
        expect(messages[0].ruleId).toBe('@nx/enforce-module-boundaries');
        if (messages[0].messageId === 'noCircularDependencies') {
          expect(messages[0].message).toContain(`Circular dependency between "${project}" and "user"`);
        } else {
          expect(messages[0]).toEqual(onlyTagsError(tag));
        }
      }
    });

    it('lint: scope:bitcoin importing scope:bitro', () => {
      expect(boundaryMessages(lint.get(lintedFiles.bitcoinToBitro))).toEqual([onlyTagsError('scope:bitcoin')]);
    });

    it('lint: a deep import through the alias (only no-restricted-imports sees it: the graph has no edge for it)', () => {
      expect(boundaryMessages(lint.get(lintedFiles.deepImport))).toEqual([
        { ruleId: 'no-restricted-imports', messageId: expect.any(String), message: expect.stringContaining('Deep import') },
      ]);
    });

    it('lint: a relative import across libs', () => {
      expect(boundaryMessages(lint.get(lintedFiles.relativeImport))).toEqual([
        {
          ruleId: '@nx/enforce-module-boundaries',
          messageId: 'noRelativeOrAbsoluteImportsAcrossLibraries',
          message: expect.stringContaining('Projects cannot be imported by a relative or absolute path'),
        },
      ]);
    });
  });

  it('wrote nothing into the real work tree', () => {
    for (const path of [...Object.values(lintedFiles), ...Object.values(tmp).map((t) => (typeof t === 'string' ? t : t.dir))]) {
      expect(existsSync(join(realRoot, path)), path).toBe(false);
    }
  });
});
