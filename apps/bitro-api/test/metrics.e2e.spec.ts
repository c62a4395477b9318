import { contractFamilies, freePort, type MetricsScrape, scrapeMetrics } from '@bitro/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signUp, startTestApp, type TestApp, until } from './test-app';

let api: TestApp;
let metricsUrl: string;

beforeAll(async () => {
  const port = await freePort();
  api = await startTestApp({ ISSUER: 'sandbox', PRICE_FEED: 'fixed', FIXED_PRICE_KRW_PER_BTC: '140000000', OUTBOX_RELAY_INTERVAL_MS: '50', METRICS_HOST: '127.0.0.1', METRICS_PORT: String(port) });
  metricsUrl = `http://127.0.0.1:${port}`;
});
afterAll(() => api?.close());

describe('bitro-api metrics', () => {
  it('are served on the metrics port only, never on the public one', async () => {
    expect((await fetch(`${api.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${metricsUrl}/metrics`)).status).toBe(200);
    expect((await fetch(`${metricsUrl}/`)).status).toBe(404);
  });

  it('show the families of the contract, with the backbone of every consumer and queue of the process', async () => {
    const scraped = await scrapeMetrics(metricsUrl);
    for (const [name, type] of [
      ['process_cpu_seconds_total', 'COUNTER'],
      ['nodejs_eventloop_lag_seconds', 'GAUGE'],
      ['bitro_events_publications_incomplete', 'GAUGE'],
      ['bitro_events_publication_oldest_age_seconds', 'GAUGE'],
      ['bitro_events_dead_letters', 'GAUGE'],
      ['bitro_outbox_backlog', 'GAUGE'],
      ['bitro_outbox_oldest_age_seconds', 'GAUGE'],
      ['bitro_queue_jobs', 'GAUGE'],
      ['bitro_pg_pool_connections', 'GAUGE'],
      ['bitro_redemptions_total', 'COUNTER'],
      ['bitro_wallet_credits_total', 'COUNTER'],
      ['bitro_wallet_credited_sats_total', 'COUNTER'],
      ['bitro_deposits_total', 'COUNTER'],
      ['bitro_withdrawals_total', 'COUNTER'],
      ['bitro_sats_moved_total', 'COUNTER'],
    ] as const) {
      expect(scraped.type(name), name).toBe(type);
    }
    const consumers = scraped.labels('bitro_events_publications_incomplete').map((labels) => labels['consumer']);
    expect(consumers).toEqual(expect.arrayContaining(['wallet', 'giftcard', 'notification', 'audit']));
    const queues = new Set(scraped.labels('bitro_queue_jobs').map((labels) => labels['queue']));
    expect(queues.size).toBeGreaterThan(3);
    expect(scraped.labels('bitro_queue_jobs').filter((labels) => labels['queue'] === [...queues][0]).map((labels) => labels['state']).sort()).toEqual(
      ['active', 'delayed', 'failed', 'prioritized', 'waiting'],
    );
    expect(scraped.value('bitro_pg_pool_connections', { pool: 'main', state: 'total' })).toBeGreaterThan(0);
  });

  it('count a redemption: its transitions, the credit, the events handled and its request', async () => {
    const { token } = await signUp(api);
    const before = await scrapeMetrics(metricsUrl);
    const redeemed = await call(api.url, 'POST', '/v1/giftcards/redemptions', {
      token,
      body: { brand: 'cultureland', pin: '1111-2222-3333-4444' },
      headers: { 'idempotency-key': 'metrics-1' },
    });
    expect(redeemed.status).toBe(202);
    await until(
      'the credit',
      () => call(api.url, 'GET', `/v1/giftcards/redemptions/${String(redeemed.body['id'])}`, { token }),
      (r) => r.body['state'] === 'credited',
    );
    // The giftcard consumer's handling of wallet.credited.v1 is counted once its transaction has committed.
    const after = await until(
      'the counters',
      () => scrapeMetrics(metricsUrl),
      (scraped) => moved(before, scraped, 'bitro_events_handled_total', { consumer: 'giftcard', event: 'wallet.credited.v1' }) >= 1,
    );

    expect(moved(before, after, 'bitro_redemptions_total', { state: 'accepted' })).toBe(1);
    expect(moved(before, after, 'bitro_redemptions_total', { state: 'approved' })).toBe(1);
    expect(moved(before, after, 'bitro_redemptions_total', { state: 'credited' })).toBe(1);
    expect(moved(before, after, 'bitro_redemptions_total', { state: 'rejected' })).toBe(0);
    // 10,000 KRW − 8 % fee at 140,000,000 KRW/BTC.
    expect(moved(before, after, 'bitro_wallet_credits_total', { kind: 'redemption' })).toBe(1);
    expect(moved(before, after, 'bitro_wallet_credited_sats_total', { kind: 'redemption' })).toBe(6571);
    expect(moved(before, after, 'bitro_sats_moved_total', { direction: 'in' })).toBe(6571);
    expect(moved(before, after, 'bitro_events_handled_total', { consumer: 'wallet', event: 'giftcard.redemption-approved.v1' })).toBe(1);
    expect(moved(before, after, 'bitro_events_handled_total', { consumer: 'giftcard', event: 'wallet.credited.v1' })).toBe(1);
    expect(moved(before, after, 'bitro_events_failed_total')).toBe(0);
    expect(after.count('bitro_http_request_duration_seconds', { method: 'POST', route: '/v1/giftcards/redemptions', status: '202' }) -
      before.count('bitro_http_request_duration_seconds', { method: 'POST', route: '/v1/giftcards/redemptions', status: '202' })).toBe(1);
    expect(after.count('bitro_http_request_duration_seconds', { method: 'GET', route: '/v1/giftcards/redemptions/:id' })).toBeGreaterThan(0);
  });

  // After the redemption above, so that the families labelled by consumer and event have samples.
  it("serve every family the alert rules and the dashboard use (deploy/prometheus/metric-names.json), of the contract's type", async () => {
    const scraped = await scrapeMetrics(metricsUrl);
    for (const { name, type } of contractFamilies('bitro-api')) expect(scraped.type(name), name).toBe(type);
  });

  it('time what matched no route as "unmatched", not by its path', async () => {
    const before = await scrapeMetrics(metricsUrl);
    expect((await call(api.url, 'GET', '/v1/no-such-route/123')).status).toBe(404);
    const after = await scrapeMetrics(metricsUrl);
    expect(after.count('bitro_http_request_duration_seconds', { route: 'unmatched', status: '404' }) - before.count('bitro_http_request_duration_seconds', { route: 'unmatched', status: '404' })).toBe(1);
    expect(after.labels('bitro_http_request_duration_seconds_count').some((labels) => labels['route']?.includes('no-such-route'))).toBe(false);
  });
});

function moved(before: MetricsScrape, after: MetricsScrape, name: string, labels: Record<string, string> = {}): number {
  return after.value(name, labels) - before.value(name, labels);
}
