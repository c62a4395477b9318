import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Family {
  name: string;
  help: string;
  type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';
  metrics: Array<{ labels?: Record<string, string>; value?: string }>;
}

// parse-prometheus-text-format ships no types: its one export, typed as used here.
const parsePrometheusTextFormat = require('parse-prometheus-text-format') as (text: string) => Family[];

/** One scrape of a metrics endpoint, parsed by a Prometheus text-format parser. */
export class MetricsScrape {
  private readonly families: Map<string, Family>;
  /** The same text with histograms read as untyped: `<name>_count` etc. become families of their own, labels kept. */
  private readonly series: Map<string, Family>;

  constructor(readonly text: string) {
    // A family that comes in pieces (each histogram series, read as untyped) is put back together.
    const byName = (families: Family[]) => {
      const map = new Map<string, Family>();
      for (const family of families) {
        const known = map.get(family.name);
        if (known) known.metrics.push(...family.metrics);
        else map.set(family.name, family);
      }
      return map;
    };
    this.families = byName(parsePrometheusTextFormat(text));
    // The parser merges a histogram's samples into one and loses their labels unless the histogram has none.
    this.series = byName(parsePrometheusTextFormat(text.replace(/^# TYPE (\S+) histogram$/gm, '# TYPE $1 untyped')));
  }

  has(name: string): boolean {
    return this.families.has(name);
  }

  type(name: string): Family['type'] | undefined {
    return this.families.get(name)?.type;
  }

  /** The label sets of a family's samples. */
  labels(name: string): Array<Record<string, string>> {
    return (this.series.get(name)?.metrics ?? []).map((sample) => sample.labels ?? {});
  }

  /** The sum of a counter's or gauge's samples whose labels include `labels`; 0 when there is none. */
  value(name: string, labels: Record<string, string> = {}): number {
    return this.matching(name, labels).reduce((sum, sample) => sum + Number(sample.value ?? 0), 0);
  }

  /** The number of observations of a histogram's samples whose labels include `labels`. */
  count(name: string, labels: Record<string, string> = {}): number {
    return this.value(`${name}_count`, labels);
  }

  private matching(name: string, labels: Record<string, string>) {
    return (this.series.get(name)?.metrics ?? []).filter((sample) => Object.entries(labels).every(([key, value]) => sample.labels?.[key] === value));
  }
}

/** GETs a metrics endpoint (`http://host:port`) and parses its answer; throws unless it answers 200. */
export async function scrapeMetrics(baseUrl: string): Promise<MetricsScrape> {
  const response = await fetch(`${baseUrl}/metrics`);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${baseUrl}/metrics answered ${response.status}: ${text}`);
  return new MetricsScrape(text);
}

/** The metric families deploy/'s rules and dashboard rely on for one scrape job (deploy/prometheus/metric-names.json). */
export function contractFamilies(job: 'bitro-api' | 'bitcoin-gateway'): Array<{ name: string; type: Family['type'] }> {
  const contract = JSON.parse(readFileSync(join(__dirname, '../../../../deploy/prometheus/metric-names.json'), 'utf8')) as {
    families: Record<string, { type: string; jobs: string[] }>;
  };
  return Object.entries(contract.families)
    .filter(([, family]) => family.jobs.includes(job))
    .map(([name, family]) => ({ name, type: family.type.toUpperCase() as Family['type'] }));
}
