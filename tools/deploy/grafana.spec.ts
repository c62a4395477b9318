import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { promqlMetricNames } from './promql-metric-names';
import { grafanaDir, knownMetric, metricNames, readYaml } from './observability-files';

interface Panel {
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets?: { expr?: string; datasource?: { uid: string } }[];
  panels?: Panel[];
}
const dashboardFiles = readdirSync(join(grafanaDir, 'dashboards')).filter((f) => f.endsWith('.json'));
const dashboards = dashboardFiles.map((f) => JSON.parse(readFileSync(join(grafanaDir, 'dashboards', f), 'utf8')) as { uid: string; panels: Panel[] });
const panels = dashboards.flatMap((d) => d.panels.flatMap((p) => [p, ...(p.panels ?? [])])).filter((p) => p.type !== 'row');
const exprs = panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr ?? ''));
const datasources = readYaml<{ datasources: { uid: string; type: string; url: string }[] }>(join(grafanaDir, 'provisioning/datasources/prometheus.yml')).datasources;

describe('deploy/grafana', () => {
  it('provisions the compose Prometheus as the data source and the dashboards folder as a provider', () => {
    expect(datasources).toEqual([expect.objectContaining({ uid: 'prometheus', type: 'prometheus', url: 'http://prometheus:9090' })]);
    const providers = readYaml<{ providers: { type: string; options: { path: string } }[] }>(join(grafanaDir, 'provisioning/dashboards/bitro.yml')).providers;
    expect(providers).toEqual([expect.objectContaining({ type: 'file', options: expect.objectContaining({ path: '/etc/grafana/dashboards' }) })]);
  });

  it('has one parseable dashboard whose every panel queries the provisioned data source', () => {
    expect(dashboards.map((d) => d.uid)).toEqual(['bitro-overview']);
    expect(panels.length).toBeGreaterThan(20);
    for (const panel of panels) {
      expect(panel.datasource, panel.title).toEqual({ type: 'prometheus', uid: datasources[0].uid });
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) {
        expect(target.expr?.trim(), panel.title).toBeTruthy();
        expect(promqlMetricNames(target.expr ?? '').length, `${panel.title}: ${target.expr}`).toBeGreaterThan(0);
        expect(target.datasource?.uid, panel.title).toBe(datasources[0].uid);
      }
    }
  });

  it('uses only metric names of the contract (metric-names.json) or recorded by a rule', () => {
    const used = new Set(exprs.flatMap((e) => promqlMetricNames(e)));
    expect([...used].filter((name) => !knownMetric(name))).toEqual([]);
  });

  it('shows every metric family of the contract', () => {
    const used = new Set(exprs.flatMap((e) => promqlMetricNames(e)).map((name) => name.replace(/_(bucket|count|sum)$/, '')));
    expect(Object.keys(metricNames.families).filter((family) => !used.has(family))).toEqual([]);
  });
});
