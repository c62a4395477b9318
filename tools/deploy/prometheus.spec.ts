import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { promqlMetricNames } from './promql-metric-names';
import { knownMetric, metricNames, prometheusDir, promtool, readYaml, ruleFiles, rules, ruleTestFiles } from './observability-files';

interface ScrapeConfig {
  job_name: string;
  dns_sd_configs?: { names: string[]; type: string; port: number }[];
  static_configs?: { targets: string[] }[];
}
interface RuleTest {
  rule_files: string[];
  tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[];
}
const config = readYaml<{ rule_files: string[]; scrape_configs: ScrapeConfig[] }>(join(prometheusDir, 'prometheus.yml'));
const alerts = rules.filter((r) => r.alert);
const output = (run: { stdout: string; stderr: string }): string => run.stdout + run.stderr;

describe('deploy/prometheus under promtool', () => {
  it('promtool check config accepts prometheus.yml and every rule file it loads', () => {
    const run = promtool(['check', 'config', 'prometheus.yml']);
    expect(output(run)).toContain('SUCCESS');
    expect(run.status, output(run)).toBe(0);
    for (const file of ruleFiles) expect(output(run)).toContain(`rules/${basename(file)}`);
  });

  it('promtool check rules accepts every rule file', () => {
    const run = promtool(['check', 'rules', ...ruleFiles]);
    expect(run.status, output(run)).toBe(0);
  });

  it('promtool test rules passes every rule unit test, which together cover every rule file', () => {
    const run = promtool(['test', 'rules', ...ruleTestFiles]);
    expect(run.status, output(run)).toBe(0);
    expect(output(run)).not.toContain('FAILED');
    const tested = new Set(ruleTestFiles.flatMap((f) => readYaml<RuleTest>(f).rule_files.map((r) => basename(r))));
    expect(tested).toEqual(new Set(ruleFiles.map((f) => basename(f))));
  });

  it('the unit tests notice alerts that never fire: each alert has a test expecting it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prometheus-rules-'));
    try {
      cpSync(prometheusDir, dir, { recursive: true });
      for (const file of ruleFiles) {
        const target = join(dir, 'rules', basename(file));
        const doc = parse(readFileSync(target, 'utf8')) as { groups: { rules: { alert?: string; expr: string }[] }[] };
        for (const rule of doc.groups.flatMap((g) => g.rules)) if (rule.alert) rule.expr = 'vector(1) > 2';
        writeFileSync(target, stringify(doc));
      }
      const run = promtool(['test', 'rules', ...ruleTestFiles.map((f) => join(dir, 'tests', basename(f)))], dir);
      expect(run.status).toBe(1);
      const failed = new Set([...output(run).matchAll(/alertname: (\w+), time/g)].map((m) => m[1]));
      expect([...failed].sort()).toEqual(alerts.map((a) => a.alert).sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('deploy/prometheus rules and scrape config', () => {
  it('has the alerts operators need', () => {
    expect(alerts.map((a) => a.alert).sort()).toEqual([
      'BitcoinNodeBehindHeaders', 'BitcoinNodeDown', 'BitcoinNodeInitialBlockDownload', 'BitroChainLedgerDifference', 'BitroDeadLetters',
      'BitroDepositScanBehind', 'BitroEventDeliveryBehind', 'BitroHttp5xxRateHigh', 'BitroOutboxBehind', 'BitroPayoutStuck', 'BitroTargetDown',
    ]);
  });

  it('gives every alert a for, a severity, a summary, a description and a runbook naming what to run', () => {
    for (const alert of alerts) {
      expect(alert.for, alert.alert).toMatch(/^\d+[smh]$/);
      expect(['warning', 'critical'], alert.alert).toContain(alert.labels?.severity);
      expect(Object.keys(alert.annotations ?? {}).sort(), alert.alert).toEqual(['description', 'runbook', 'summary']);
      expect(alert.annotations?.runbook, alert.alert).toMatch(/`[^`]+`/);
    }
  });

  it('uses only metric names of the contract (metric-names.json) or recorded by a rule', () => {
    const used = rules.flatMap((r) => promqlMetricNames(r.expr));
    expect(used).toContain('bitro_gateway_chain_ledger_difference_sats');
    expect(used.filter((name) => !knownMetric(name))).toEqual([]);
    expect(knownMetric('bitro_gateway_chain_ledger_diff_sats')).toBe(false);
    for (const name of rules.flatMap((r) => (r.record ? [r.record] : []))) expect(name).toMatch(/^\w+:\w+:\w+$/);
  });

  it('scrapes the jobs of the contract on their metrics ports by compose service name, every bitro-api replica by DNS', () => {
    expect(config.rule_files).toEqual(['rules/*.yml']);
    const jobs = Object.fromEntries(config.scrape_configs.map((s) => [s.job_name, s]));
    expect(Object.keys(jobs).sort()).toEqual(Object.keys(metricNames.jobs).sort());
    expect(jobs['bitro-api'].dns_sd_configs).toEqual([expect.objectContaining({ names: ['bitro-api'], type: 'A', port: metricNames.jobs['bitro-api'] })]);
    expect(jobs['bitcoin-gateway'].static_configs).toEqual([{ targets: [`bitcoin-gateway:${metricNames.jobs['bitcoin-gateway']}`] }]);
  });
});
