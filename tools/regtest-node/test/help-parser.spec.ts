import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkShape, helpFiles, parseHelp } from './help-parser';

describe('help parser', () => {
  it('parses arguments, nested objects, arrays and optional markers', () => {
    const help = parseHelp('gettransaction.txt');
    expect(help.args).toEqual(['txid', 'include_watchonly', 'verbose']);
    const root = help.results[0].shape;
    expect(root.kind).toBe('object');
    expect(root.fields.get('fee')).toMatchObject({ type: 'numeric', optional: true });
    expect(root.fields.get('txid')).toMatchObject({ type: 'string', optional: false });
    expect(root.fields.get('details')?.items?.fields.get('category')).toMatchObject({ type: 'string', optional: false });
    expect(root.fields.get('decoded')).toMatchObject({ open: true, optional: true });
    expect(root.fields.get('lastprocessedblock')?.fields.get('height')).toMatchObject({ type: 'numeric' });
  });

  it('keeps every labelled Result section', () => {
    expect(parseHelp('getblock.txt').results.map((r) => r.label)).toEqual(['for verbosity = 0', 'for verbosity = 1', 'for verbosity = 2', 'for verbosity = 3']);
    expect(parseHelp('walletlock.txt').results[0].shape).toMatchObject({ kind: 'scalar', type: 'json null' });
  });

  it('reports missing, mistyped and undocumented fields', () => {
    const shape = parseHelp('getbalances.txt').results[0].shape;
    const good = { mine: { trusted: 1, untrusted_pending: 0, immature: 0 }, lastprocessedblock: { hash: 'aa', height: 1 } };
    expect(checkShape(good, shape)).toEqual([]);
    expect(checkShape({ ...good, mine: { trusted: '1', untrusted_pending: 0 }, extra: 1 }, shape)).toEqual([
      '$.mine.trusted: expected numeric, got "1"',
      '$.mine.immature: missing',
      '$.extra: not documented by Core',
    ]);
  });

  it('parses every copied help text', () => {
    for (const file of helpFiles()) expect(parseHelp(file).results.length, file).toBeGreaterThan(0);
  });
});

describe('src/rpc/core-help.generated.ts', () => {
  it('is generated from core-help/*.txt as committed (scripts/core-help.mjs --check)', () => {
    const run = spawnSync(process.execPath, [join(__dirname, '..', 'scripts', 'core-help.mjs'), '--check'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
