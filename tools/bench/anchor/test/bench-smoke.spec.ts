import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// About a minute on an idle machine; much more while the rest of `npm test` runs beside it.
const RUN_TIMEOUT_MS = 15 * 60_000;

const FIGURES = [
  ...['anchor', 'health', 'me', 'balance', 'healthMetricsOn', 'meMetricsOn', 'balanceMetricsOn', 'healthMetricsOff', 'meMetricsOff', 'balanceMetricsOff'].flatMap((endpoint) =>
    ['rps', 'p50Ms', 'p99Ms', 'ofAnchorPct', 'cpuUsPerRequest'].map((figure) => `http.${endpoint}.${figure}`),
  ),
  ...['health', 'me', 'balance'].flatMap((endpoint) => [`http.${endpoint}.ofMetricsOffPct`, `http.${endpoint}.ofMetricsOffCpuPct`]),
  'http.anchor.windows',
  'http.anchor.rpsMin',
  'http.anchor.rpsMax',
  'redemptions.acceptedPerS',
  'redemptions.creditedPerS',
  'redemptions.firstBurst.creditedPerS',
  'redemptions.firstBurst.nodeCpuMsPerRedemption',
  'redemptions.cpuMsPerRedemption.node',
  'redemptions.cpuMsPerRedemption.postgres',
  'redemptions.cpuMsPerRedemption.total',
  'redemptions.statementsPerRedemption',
  'redemptions.transactionsPerRedemption',
  'redemptions.writeTransactionsPerRedemption',
  'openLoop.p50Ms',
  'openLoop.p99Ms',
  'idleLatency.acceptedP50Ms',
  'idleLatency.creditedP50Ms',
  'idleLatency.creditedP99Ms',
  'processes.api.idleRssMb',
  'processes.api.loadedRssMb',
  'processes.api.idleCpuPct',
  'processes.gateway.idleRssMb',
  'processes.gateway.loadedRssMb',
  'processes.gateway.idleCpuPct',
  'processes.regtest.idleRssMb',
];

const at = (value: unknown, path: string): unknown => path.split('.').reduce((inner: unknown, key) => (inner as Record<string, unknown> | undefined)?.[key], value);

// The harness (tools/bench/bench.mjs) on tiny sizes against the builds this target depends on: every figure is there
// and a number, every balance checked out. No timing is asserted: this only keeps the bench from rotting.
it('npm run bench -- --smoke --profile writes and prints every figure', { timeout: RUN_TIMEOUT_MS + 30_000 }, async () => {
  const out = join(dir, 'smoke.json');
  const { stdout } = await promisify(execFile)(process.execPath, ['tools/bench/bench.mjs', '--smoke', '--profile', '--no-build', '--out', out], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
    // SIGTERM makes the harness stop every process it started.
    timeout: RUN_TIMEOUT_MS,
  });
  const result = JSON.parse(readFileSync(out, 'utf8'));
  for (const figure of FIGURES) {
    const value = at(result, figure);
    expect(typeof value === 'number' && Number.isFinite(value), `${figure}: ${String(value)}`).toBe(true);
  }
  // A window of the anchor before each of the nine servers' windows (three routes on three processes).
  expect(result.http.anchor.windows).toBe(9 * result.settings.httpRounds);
  expect(result.redemptions.balances.checked).toBe(result.settings.users);
  expect(result.redemptions.balances.mismatched).toBe(0);
  expect(result.postgres.byTotalTime.length).toBeGreaterThan(0);
  expect(result.profile.topFrames.length).toBeGreaterThan(0);
  expect(stdout).toContain('GET /v1/wallet/balance');
  rmSync(result.profile.path, { force: true });
});

// tools/bench/ab.mjs on tiny windows, the build against itself: every figure of both builds is there and a number.
it('npm run bench:ab -- --smoke compares two builds route by route', { timeout: RUN_TIMEOUT_MS + 30_000 }, async () => {
  const out = join(dir, 'ab.json');
  const build = 'dist/apps/bitro-api/main.js';
  const { stdout } = await promisify(execFile)(process.execPath, ['tools/bench/ab.mjs', '--smoke', '--a', build, '--b', build, '--out', out], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
    timeout: RUN_TIMEOUT_MS,
  });
  const result = JSON.parse(readFileSync(out, 'utf8'));
  const figures = ['anchor.rps', 'anchor.cpuUsPerRequest'].concat(
    ['health', 'me', 'balance'].flatMap((route) => [
      ...['A', 'B'].flatMap((name) => ['rps', 'ofAnchorPct', 'cpuUsPerRequest'].map((figure) => `routes.${route}.${name}.${figure}`)),
      `routes.${route}.bOfARpsPct`,
      `routes.${route}.bOfACpuPct`,
    ]),
  );
  for (const figure of figures) {
    const value = at(result, figure);
    expect(typeof value === 'number' && Number.isFinite(value), `${figure}: ${String(value)}`).toBe(true);
  }
  expect(stdout).toContain('B/A by CPU');
});
