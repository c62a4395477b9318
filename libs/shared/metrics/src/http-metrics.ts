import type { FastifyInstance, FastifyReply, FastifyRequest, onResponseHookHandler } from 'fastify';
import type { Metric } from 'prom-client';
import { processRegistry } from './process-registry';

const NAME = 'bitro_http_request_duration_seconds';
const HELP = 'HTTP requests by method, route template (or "unmatched") and status, and how long they took to answer.';
const UNMATCHED = 'unmatched';
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type Labels = { method: string; route: string; status: string };
type Sample = { metricName: string; labels: Labels & { le?: number | string }; value: number };

/** One (method, route, status) series: its observations per bucket (not cumulative), their sum and count. */
class Series {
  readonly perBucket = new Float64Array(BUCKETS.length);
  sum = 0;
  count = 0;

  constructor(readonly labels: Labels) {}

  observe(seconds: number): void {
    let bucket = 0;
    while (bucket < BUCKETS.length && seconds > (BUCKETS[bucket] as number)) bucket++;
    if (bucket < BUCKETS.length) this.perBucket[bucket] = (this.perBucket[bucket] as number) + 1;
    this.sum += seconds;
    this.count++;
  }
}

/**
 * The request histogram as a prom-client metric of the process registry. prom-client's own Histogram hashes its labels
 * on every observe (about a microsecond); a series here is found once per (route, method, status) and then observed
 * with a bucket search and three additions.
 */
class RequestDurations {
  readonly name = NAME;
  readonly help = HELP;
  readonly type = 'histogram' as const;
  readonly aggregator = 'sum' as const;
  private readonly all: Series[] = [];

  series(labels: Labels): Series {
    const series = new Series(labels);
    this.all.push(series);
    return series;
  }

  async get(): Promise<{ name: string; help: string; type: 'histogram'; aggregator: 'sum'; values: Sample[] }> {
    const values: Sample[] = [];
    for (const { labels, perBucket, sum, count } of this.all) {
      let cumulative = 0;
      BUCKETS.forEach((bound, index) => {
        cumulative += perBucket[index] as number;
        values.push({ metricName: `${NAME}_bucket`, labels: { ...labels, le: bound }, value: cumulative });
      });
      values.push({ metricName: `${NAME}_bucket`, labels: { ...labels, le: '+Inf' }, value: count });
      values.push({ metricName: `${NAME}_sum`, labels, value: sum });
      values.push({ metricName: `${NAME}_count`, labels, value: count });
    }
    return { name: NAME, help: HELP, type: 'histogram', aggregator: 'sum', values };
  }

  reset(): void {
    for (const series of this.all) {
      series.perBucket.fill(0);
      series.sum = 0;
      series.count = 0;
    }
  }
}

function requestDurations(): RequestDurations {
  const existing = processRegistry.getSingleMetric(NAME) as unknown as RequestDurations | undefined;
  if (existing) return existing;
  const created = new RequestDurations();
  // A metric of prom-client's shape (name, help, type, get, reset), not one of its classes.
  processRegistry.registerMetric(created as unknown as Metric);
  return created;
}

/**
 * Times every request into {@link NAME}. Each route gets its own onResponse hook (added as Fastify registers it) that
 * knows its template and keeps its series per (method, status): a request costs two map lookups and the observe, no
 * label hashing or allocation. What matched no route is timed by one root hook as route "unmatched". Call before the
 * routes are registered (before Nest's `init`).
 */
export function observeHttpRequests(fastify: FastifyInstance): void {
  const durations = requestDurations();
  fastify.addHook('onRoute', (route) => {
    const hook = timer(durations, route.url);
    const existing = route.onResponse;
    route.onResponse = existing === undefined ? [hook] : [...(Array.isArray(existing) ? existing : [existing]), hook];
  });
  const unmatched = timer(durations, UNMATCHED);
  fastify.addHook('onResponse', function (this: FastifyInstance, request, reply, done) {
    if (!request.is404) return done();
    unmatched.call(this, request, reply, done);
  });
}

function timer(durations: RequestDurations, route: string): onResponseHookHandler {
  const byMethod = new Map<string, Map<number, Series>>();
  return function (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply, done: () => void) {
    let byStatus = byMethod.get(request.method);
    if (byStatus === undefined) byMethod.set(request.method, (byStatus = new Map()));
    let series = byStatus.get(reply.statusCode);
    if (series === undefined) byStatus.set(reply.statusCode, (series = durations.series({ method: request.method, route, status: String(reply.statusCode) })));
    series.observe(reply.elapsedTime / 1000);
    done();
  } as onResponseHookHandler;
}
