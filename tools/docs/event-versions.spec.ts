import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkEventVersions, EVENTS_DIR, formatEventVersionProblems, loadBaseSnapshots } from './event-versions.mjs';

const credited = { type: 'object', properties: { journalId: { type: 'string' }, reference: { type: 'string' } }, required: ['journalId', 'reference'] };
const withoutReference = { type: 'object', properties: { journalId: { type: 'string' } }, required: ['journalId'] };

describe('checkEventVersions', () => {
  it('accepts unchanged and compatibly changed contracts, and new contracts', () => {
    const base = new Map([['wallet.credited.v1', credited]]);
    const current = new Map<string, object>([
      ['wallet.credited.v1', { ...credited, properties: { ...credited.properties, redemptionId: { type: 'string' } } }],
      ['wallet.debited.v1', withoutReference],
    ]);
    expect(checkEventVersions(base, current)).toEqual([]);
  });

  it('fails a vN changed in a breaking way, and says how to publish it instead', () => {
    const problems = checkEventVersions(new Map([['wallet.credited.v1', credited]]), new Map([['wallet.credited.v1', withoutReference]]));
    expect(problems).toEqual([{ event: 'wallet.credited.v1', changes: ['payload.reference: property removed'] }]);
    const message = formatEventVersionProblems(problems, 'the snapshots committed in HEAD');
    expect(message).toContain('wallet.credited.v1:\n    payload.reference: property removed');
    expect(message).toContain('publish the change as a new contract (e.g. wallet.credited.v2)');
  });

  it('accepts the breaking change published as vN+1 next to an unchanged vN', () => {
    const current = new Map([
      ['wallet.credited.v1', credited],
      ['wallet.credited.v2', withoutReference],
    ]);
    expect(checkEventVersions(new Map([['wallet.credited.v1', credited]]), current)).toEqual([]);
  });

  it('lets a vN go only once a higher version exists', () => {
    const base = new Map([['wallet.credited.v1', credited]]);
    expect(checkEventVersions(base, new Map())).toEqual([{ event: 'wallet.credited.v1', changes: ['the contract was removed, and no higher version of it exists'] }]);
    expect(checkEventVersions(base, new Map([['wallet.credited.v2', withoutReference]]))).toEqual([]);
  });
});

describe('loadBaseSnapshots', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bitro-event-versions-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const git = (...args: string[]) => {
    const r = spawnSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
    return r.stdout.trim();
  };

  it('is skipped outside a git work tree', () => {
    expect(loadBaseSnapshots(dir)).toEqual({ label: null, reason: 'not a git work tree' });
  });

  it("reads HEAD's committed snapshots without an origin/main, and the merge-base with it when there is one", () => {
    git('init', '-q', '-b', 'main');
    mkdirSync(join(dir, EVENTS_DIR), { recursive: true });
    writeFileSync(join(dir, EVENTS_DIR, 'wallet.credited.v1.schema.json'), JSON.stringify(credited));
    git('add', '.');
    git('commit', '-q', '-m', 'base');
    const baseCommit = git('rev-parse', 'HEAD');
    git('update-ref', 'refs/remotes/origin/main', baseCommit);
    writeFileSync(join(dir, EVENTS_DIR, 'wallet.credited.v1.schema.json'), JSON.stringify(withoutReference));
    git('commit', '-q', '-am', 'a breaking change committed on the branch');

    const fromOrigin = loadBaseSnapshots(dir);
    expect(fromOrigin.label).toBe(`merge-base with origin/main (${baseCommit.slice(0, 12)})`);
    expect('schemas' in fromOrigin && fromOrigin.schemas).toEqual(new Map([['wallet.credited.v1', credited]]));

    git('update-ref', '-d', 'refs/remotes/origin/main');
    const fromHead = loadBaseSnapshots(dir);
    expect(fromHead.label).toBe('the snapshots committed in HEAD');
    expect('schemas' in fromHead && fromHead.schemas).toEqual(new Map([['wallet.credited.v1', withoutReference]]));

    const explicit = loadBaseSnapshots(dir, baseCommit);
    expect('schemas' in explicit && explicit.schemas).toEqual(new Map([['wallet.credited.v1', credited]]));
  });
});
