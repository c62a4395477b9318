import { Gauge, type GaugeConfiguration, Registry } from 'prom-client';

/**
 * Gauges read when Prometheus scrapes: a provider that extends this class is found by {@link MetricsModule} in every
 * module of the app. `collect()` sets its gauges from what it reads now (PostgreSQL, Redis, the node); when it throws
 * or overruns the scrape's time limit, its families are left out of that scrape and the rest is served.
 */
export abstract class MetricsCollector {
  /** Names the collector in the log when it fails. */
  abstract readonly name: string;
  readonly #registry = new Registry();

  /** Sets the collector's gauges; a labelled gauge is `reset()` first, so that label values gone away disappear. */
  abstract collect(): Promise<void>;

  /** The collector's families in the text format, as last set. */
  exposition(): Promise<string> {
    return this.#registry.metrics();
  }

  protected gauge<L extends string = never>(configuration: Omit<GaugeConfiguration<L>, 'registers' | 'collect'>): Gauge<L> {
    return new Gauge<L>({ ...configuration, registers: [this.#registry] });
  }
}
