import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
// @ts-expect-error: a plain JavaScript module of the harness
import { figures, HTTP_LABELS } from '../report.mjs';

const root = join(import.meta.dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The harness on tiny sizes, against the builds (the test target depends on them): every figure is there and a
// number, every balance checked out. No timing is asserted: this only keeps the bench from rotting.
it('npm run bench -- --smoke prints and writes every figure', async () => {
  const out = join(dir, 'smoke.json');
  const { stdout } = await promisify(execFile)(process.execPath, ['tools/bench/bench.mjs', '--smoke', '--profile', '--no-build', '--out', out], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
  });
  const result = JSON.parse(readFileSync(out, 'utf8'));
  const values: Record<string, number> = figures(result);
  for (const key of Object.keys(HTTP_LABELS)) {
    for (const figure of ['rps', 'p50Ms', 'p99Ms', 'ofAnchorPct']) expect(values[`http.${key}.${figure}`], `http.${key}.${figure}`).toBeTypeOf('number');
  }
  for (const figure of [
    'redemptions.acceptedPerS',
    'redemptions.creditedPerS',
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
  ]) {
    expect(values[figure], figure).toBeTypeOf('number');
  }
  for (const [figure, value] of Object.entries(values)) expect(Number.isFinite(value), figure).toBe(true);
  expect(result.redemptions.balances).toEqual({ checked: 5, mismatched: 0, credited: result.redemptions.balances.credited });
  expect(result.postgres.byTotalTime.length).toBeGreaterThan(0);
  expect(result.profile.topFrames.length).toBeGreaterThan(0);
  expect(stdout).toContain('GET /v1/wallet/balance');
});
