import { collectDefaultMetrics, Counter, Registry } from 'prom-client';

/**
 * The process's own metrics: counters of what happened in this process (events handled, redemptions, ...), the HTTP
 * histogram, and prom-client's `process_*` / `nodejs_*`. One per process, whatever number of Nest apps it hosts (tests).
 */
export const processRegistry = new Registry();

export interface CounterDefinition<L extends string> {
  name: string;
  help: string;
  labelNames?: readonly L[];
  /** Label sets exported at 0 from the start, so that a rate over them exists before the first event. */
  initial?: ReadonlyArray<Record<L, string>>;
}

/**
 * A counter of the process registry. Defining the same name again returns the first one, so a module may define its
 * counters at import time even where it is loaded twice.
 */
export function defineCounter<L extends string = never>({ initial = [], ...definition }: CounterDefinition<L>): Counter<L> {
  const existing = processRegistry.getSingleMetric(definition.name);
  if (existing) return existing as Counter<L>;
  const counter = new Counter<L>({ ...definition, labelNames: definition.labelNames ?? [], registers: [processRegistry] });
  for (const labels of initial) counter.inc(labels as Partial<Record<L, string | number>>, 0);
  return counter;
}

let processMetricsOn = false;

/**
 * How often the event-loop delay is sampled (`nodejs_eventloop_lag_*`), ms. prom-client's default of 10 ms wakes an
 * idle process 100 times a second, which cost it 0.5–0.7 % of a core here (ADR 40); at 100 ms a stall of 100 ms or
 * more is always seen, a shorter one in proportion to its length.
 */
const EVENT_LOOP_SAMPLE_MS = 100;

/** prom-client's default `process_*` and `nodejs_*` metrics, once per process (with the first metrics server). */
export function collectProcessMetrics(): void {
  if (processMetricsOn) return;
  processMetricsOn = true;
  collectDefaultMetrics({ register: processRegistry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
}
