import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { findSourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { pauseSourceMaps } from './source-maps';

const dir = mkdtempSync(join(tmpdir(), 'source-maps-'));

/** A compiled file beside its source map, loaded by Node's require; answers its path. */
function loadMapped(name: string): string {
  const file = join(dir, `${name}.js`);
  writeFileSync(`${file}.map`, JSON.stringify({ version: 3, file: `${name}.js`, sources: [`${name}.ts`], names: [], mappings: 'AAAA' }));
  writeFileSync(file, `module.exports = 1;\n//# sourceMappingURL=${name}.js.map\n`);
  require(file);
  return file;
}

describe('pauseSourceMaps', () => {
  const initially = process.sourceMapsEnabled;
  afterEach(() => process.setSourceMapsEnabled(initially));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads no map of what loads while paused, and those of what loads after', () => {
    process.setSourceMapsEnabled(true);
    const before = loadMapped('before');
    const resume = pauseSourceMaps();
    expect(process.sourceMapsEnabled).toBe(false);
    const paused = loadMapped('paused');
    resume();
    expect(process.sourceMapsEnabled).toBe(true);
    const after = loadMapped('after');

    expect(findSourceMap(before)?.payload.sources).toEqual([expect.stringMatching(/before\.ts$/)]);
    expect(findSourceMap(paused)).toBeUndefined();
    expect(findSourceMap(after)?.payload.sources).toEqual([expect.stringMatching(/after\.ts$/)]);
  });

  it('leaves maps off when they were off', () => {
    process.setSourceMapsEnabled(false);
    pauseSourceMaps()();
    expect(process.sourceMapsEnabled).toBe(false);
    expect(findSourceMap(loadMapped('off'))).toBeUndefined();
  });
});
