/**
 * Acceptance of `npm run docs:modules -- --check` on the real workspace: it passes on the tree as committed, and fails
 * (exit 1, naming the stale canvas and how to regenerate) once a consumer gains a handler without regenerating; the
 * boundary check of graph:check then names the undeclared event too.
 *
 * Nothing is written into the work tree (other projects are linted and tested in parallel): everything runs in a
 * throw-away copy of the workspace in os.tmpdir() (apps/, libs/ with their generated Prisma clients, which the
 * controllers import, tools/docs, tools/graph, docs/modules and the root configuration; node_modules is a symlink),
 * where the copy's own tools/docs/modules.mjs documents the copy.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDeclarationProblems } from '../graph/check-graph.mjs';

const realRoot = resolve(import.meta.dirname, '../..');
const COPIED = ['package.json', 'tsconfig.base.json', 'apps', 'libs', 'tools/docs', 'tools/graph', 'docs/modules'];
const SKIPPED = new Set(['node_modules', 'dist', '.nx', '.data', 'tmp', 'coverage']);

let tmp = '';
let root = '';

function runCheck() {
  const r = spawnSync(process.execPath, [join(root, 'tools/docs/modules.mjs'), '--check'], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/** The source file of a giftcard class decorated @EventSubscriber(), wherever the domain keeps it. */
function giftcardConsumerFile(dir: string): string | undefined {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'generated') {
      const found = giftcardConsumerFile(path);
      if (found) return found;
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && /@EventSubscriber\(\)/.test(readFileSync(path, 'utf8'))) {
      return path;
    }
  }
  return undefined;
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'bitro-docs-modules-'));
  root = join(tmp, 'workspace');
  for (const path of COPIED) {
    cpSync(join(realRoot, path), join(root, path), { recursive: true, filter: (source) => !SKIPPED.has(source.split(/[\\/]/).pop() ?? '') });
  }
  symlinkSync(join(realRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
}, 120_000);

afterAll(() => {
  if (tmp && existsSync(tmp)) rmSync(tmp, { recursive: true, force: true });
});

describe('docs:modules --check (in a copy of the workspace)', () => {
  it('passes on the tree as committed', () => {
    const { status, output } = runCheck();
    expect(status, output).toBe(0);
    expect(output).toMatch(/^docs:modules: OK, \d+ generated files match the code\.$/m);
  }, 300_000);

  it('fails once a subscriber consumes one more event without regenerating, and graph:check names the undeclared event', () => {
    const file = giftcardConsumerFile(join(root, 'libs/giftcard/src'));
    expect(file, 'a giftcard @EventSubscriber() class').toBeDefined();
    const source = readFileSync(file as string, 'utf8');
    const handlers = /readonly handlers[^=]*=\s*\[/;
    expect(source).toMatch(handlers);
    writeFileSync(
      file as string,
      "import { on as zzOn } from '@bitro/messaging';\nimport { userLoginNewDeviceV1 as zzAdded } from '@bitro/service-api';\n" +
        source.replace(handlers, (opening) => `${opening}\n    zzOn(zzAdded, async () => undefined),`),
    );

    const { status, output } = runCheck();
    expect(status, output).toBe(1);
    expect(output).toMatch(/generated file\(s\) are stale:/);
    expect(output).toContain('docs/modules/giftcard.md (differs)');
    expect(output).toContain('docs/modules/README.md (differs)');
    expect(output).toContain('run `npm run docs:modules` to regenerate');

    const { problems } = findDeclarationProblems(root);
    expect(problems).toEqual([expect.stringMatching(/^giftcard: consumes user\.login-new-device\.v1 \(libs\/giftcard\/src\/.+\.ts:\d+\) but libs\/giftcard\/project\.json metadata\.bitro\.consumes does not declare it$/)]);
  }, 300_000);
});
