import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** deploy/prometheus and deploy/grafana as data, for the tests of tools/deploy. */
export const root = join(import.meta.dirname, '..', '..');
export const prometheusDir = join(root, 'deploy/prometheus');
export const grafanaDir = join(root, 'deploy/grafana');

export interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
export interface MetricNames {
  jobs: Record<string, number>;
  defaultPrefixes: string[];
  synthetic: string[];
  families: Record<string, { type: 'counter' | 'gauge' | 'histogram'; labels: string[]; jobs: string[] }>;
}

export const yamlFiles = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.yml')).sort().map((f) => join(dir, f));
export const readYaml = <T>(file: string): T => parse(readFileSync(file, 'utf8')) as T;

export const ruleFiles = yamlFiles(join(prometheusDir, 'rules'));
export const ruleTestFiles = yamlFiles(join(prometheusDir, 'tests'));
export const rules: Rule[] = ruleFiles.flatMap((f) => readYaml<{ groups: { rules: Rule[] }[] }>(f).groups.flatMap((g) => g.rules));
export const metricNames = JSON.parse(readFileSync(join(prometheusDir, 'metric-names.json'), 'utf8')) as MetricNames;

/** Runs Debian's promtool; its absence fails the test with what to install (CI installs it), it never skips. */
export function promtool(args: string[], cwd = prometheusDir): SpawnSyncReturns<string> {
  const run = spawnSync('promtool', args, { cwd, encoding: 'utf8' });
  if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new Error("promtool is not installed: install Debian's prometheus package (`apt-get install prometheus`, as CI does)");
  }
  if (run.error) throw run.error;
  return run;
}

/** Whether a metric name is in the contract (metric-names.json) or recorded by one of the rules. */
export function knownMetric(name: string): boolean {
  const histograms = Object.entries(metricNames.families).filter(([, f]) => f.type === 'histogram').map(([n]) => n);
  return (
    name in metricNames.families ||
    histograms.some((h) => ['_bucket', '_count', '_sum'].some((suffix) => name === h + suffix)) ||
    metricNames.defaultPrefixes.some((p) => name.startsWith(p)) ||
    metricNames.synthetic.includes(name) ||
    rules.some((r) => r.record === name)
  );
}
