import { MetricsScrape, scrapeMetrics } from '@bitro/testing';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetricsCollector } from './metrics-collector';
import { MetricsServer } from './metrics-server';
import { observeHttpRequests } from './http-metrics';
import { defineCounter } from './process-registry';
import { scrape } from './scrape';

class QueueCollector extends MetricsCollector {
  readonly name = 'queues';
  depth = 3;
  private readonly jobs = this.gauge({ name: 'test_queue_jobs', help: 'Jobs.', labelNames: ['queue'] });

  async collect(): Promise<void> {
    this.jobs.reset();
    this.jobs.set({ queue: 'a' }, this.depth);
  }
}

class BrokenCollector extends MetricsCollector {
  readonly name = 'broken';
  private readonly gauge1 = this.gauge({ name: 'test_broken', help: 'Never served.' });

  async collect(): Promise<void> {
    this.gauge1.set(1);
    throw new Error('database down');
  }
}

class SlowCollector extends MetricsCollector {
  readonly name = 'slow';
  private readonly gauge1 = this.gauge({ name: 'test_slow', help: 'Too late.' });

  collect(): Promise<void> {
    this.gauge1.set(1);
    return new Promise(() => undefined);
  }
}

const handled = defineCounter({ name: 'test_events_total', help: 'Events.', labelNames: ['event'], initial: [{ event: 'a' }] });

describe('the metrics server', () => {
  const failures: string[] = [];
  const queues = new QueueCollector();
  let server: MetricsServer;
  let url: string;

  beforeAll(async () => {
    const collectors = [queues, new BrokenCollector(), new SlowCollector()];
    server = await MetricsServer.start({
      host: '127.0.0.1',
      port: 0,
      exposition: () => scrape(collectors, { timeoutMs: 200, onFailure: (collector, error) => failures.push(`${collector.name}: ${error.message}`) }),
      onError: (error) => failures.push(error.message),
    });
    url = `http://127.0.0.1:${server.port}`;
  });
  afterAll(() => server?.close());

  it('answers /metrics in the Prometheus text format: the process registry and the collectors that answered', async () => {
    handled.inc({ event: 'b' }, 2);
    const response = await fetch(`${url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const scraped = await scrapeMetrics(url);
    expect(scraped.type('test_events_total')).toBe('COUNTER');
    expect(scraped.value('test_events_total', { event: 'a' })).toBe(0);
    expect(scraped.value('test_events_total', { event: 'b' })).toBe(2);
    expect(scraped.type('test_queue_jobs')).toBe('GAUGE');
    expect(scraped.value('test_queue_jobs', { queue: 'a' })).toBe(3);
  });

  it('reads the collectors again at every scrape', async () => {
    queues.depth = 7;
    expect((await scrapeMetrics(url)).value('test_queue_jobs', { queue: 'a' })).toBe(7);
  });

  it('leaves a failing or overrunning collector out, serves the rest, and says why', async () => {
    failures.length = 0;
    const scraped = await scrapeMetrics(url);
    expect(scraped.has('test_broken')).toBe(false);
    expect(scraped.has('test_slow')).toBe(false);
    expect(scraped.has('test_queue_jobs')).toBe(true);
    expect(failures.sort()).toEqual(['broken: database down', 'slow: no answer within 200 ms']);
  });

  it('answers 404 anywhere else, and 405 to other methods', async () => {
    expect((await fetch(`${url}/`)).status).toBe(404);
    expect((await fetch(`${url}/metricsx`)).status).toBe(404);
    expect((await fetch(`${url}/metrics`, { method: 'POST' })).status).toBe(405);
  });
});

describe('the HTTP request histogram', () => {
  it('times each request under its route template and status, and what matched no route as "unmatched"', async () => {
    const fastify = Fastify();
    observeHttpRequests(fastify);
    fastify.get('/v1/things/:id', async (request, reply) => reply.code((request.params as { id: string }).id === 'gone' ? 410 : 200).send({}));
    await fastify.ready();
    const before = new Map<string, number>();
    const counts = async () => new MetricsScrape(await scrape([], { timeoutMs: 1_000, onFailure: () => undefined }));
    const start = await counts();
    for (const labels of [{ route: '/v1/things/:id', status: '200' }, { route: '/v1/things/:id', status: '410' }, { route: 'unmatched', status: '404' }]) {
      before.set(JSON.stringify(labels), start.count('bitro_http_request_duration_seconds', { method: 'GET', ...labels }));
    }
    await fastify.inject('/v1/things/1');
    await fastify.inject('/v1/things/2');
    await fastify.inject('/v1/things/gone');
    await fastify.inject('/nowhere');
    const after = await counts();
    const delta = (route: string, status: string) =>
      after.count('bitro_http_request_duration_seconds', { method: 'GET', route, status }) - (before.get(JSON.stringify({ route, status })) ?? 0);
    expect(delta('/v1/things/:id', '200')).toBe(2);
    expect(delta('/v1/things/:id', '410')).toBe(1);
    expect(delta('unmatched', '404')).toBe(1);
    expect(after.type('bitro_http_request_duration_seconds')).toBe('HISTOGRAM');
    // Cumulative buckets, the last one (+Inf) every observation of the series.
    const buckets = after.labels('bitro_http_request_duration_seconds_bucket').filter((labels) => labels['route'] === '/v1/things/:id' && labels['status'] === '200');
    const cumulative = buckets.map((labels) => after.value('bitro_http_request_duration_seconds_bucket', labels));
    expect(cumulative).toEqual([...cumulative].sort((a, b) => a - b));
    expect(buckets.at(-1)?.['le']).toBe('+Inf');
    expect(cumulative.at(-1)).toBe(after.count('bitro_http_request_duration_seconds', { route: '/v1/things/:id', status: '200' }));
    await fastify.close();
  });
});
