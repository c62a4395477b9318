import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { type RunningTracing, startTracing } from '@bitro/tracing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signUp, startTestApp, type TestApp, until } from './test-app';

const exporter = new InMemorySpanExporter();
let tracing: RunningTracing;
let api: TestApp;

beforeAll(async () => {
  tracing = await startTracing(
    { enabled: true, tracesUrl: 'http://127.0.0.1:1/v1/traces', sampler: 'parentbased_always_on', samplerRatio: 1, serviceName: 'bitro-api', resourceAttributes: {} },
    { spanExporter: exporter },
  );
  api = await startTestApp({ ISSUER: 'sandbox', PRICE_FEED: 'fixed', FIXED_PRICE_KRW_PER_BTC: '140000000', OUTBOX_RELAY_INTERVAL_MS: '50' });
});
afterAll(async () => {
  await api?.close();
  await tracing?.shutdown();
});

const spansNamed = (name: string) => exporter.getFinishedSpans().filter((span) => span.name === name);
const byId = (spans: readonly ReadableSpan[]) => new Map(spans.map((span) => [span.spanContext().spanId, span]));

/** The chain of parents of a span, nearest first, by name. */
function ancestry(span: ReadableSpan): string[] {
  const spans = byId(exporter.getFinishedSpans());
  const names: string[] = [];
  for (let parent = span.parentSpanContext?.spanId; parent; parent = spans.get(parent)?.parentSpanContext?.spanId) names.push(spans.get(parent)?.name ?? '?');
  return names;
}

describe('a redemption, traced', () => {
  it('is one trace from the HTTP request through the outbox to the wallet crediting it', async () => {
    const { token } = await signUp(api);
    const redeemed = await call(api.url, 'POST', '/v1/giftcards/redemptions', {
      token,
      body: { brand: 'cultureland', pin: '1111-2222-3333-4444' },
      headers: { 'idempotency-key': 'traced-1', 'x-request-id': 'req-traced-1' },
    });
    expect(redeemed.status).toBe(202);
    const credit = await until(
      "the wallet's handling of the approval",
      async () => exporter.getFinishedSpans().find((span) => span.name === 'process giftcard.redemption-approved.v1' && span.attributes['messaging.consumer.group.name'] === 'wallet'),
      (span) => span !== undefined,
    );

    const [request] = spansNamed('POST /v1/giftcards/redemptions');
    const traceId = request?.spanContext().traceId;
    expect(request?.attributes).toMatchObject({ 'http.route': '/v1/giftcards/redemptions', 'http.response.status_code': 202 });
    expect(credit?.spanContext().traceId).toBe(traceId);
    // Child of the append's span, which is a child of the request's.
    expect(credit && ancestry(credit)).toEqual(['create giftcard.redemption-approved.v1', 'POST /v1/giftcards/redemptions']);
    expect(spansNamed('publish giftcard.redemption-approved.v1').map((span) => span.spanContext().traceId)).toContain(traceId);

    // The log lines of the request and of the consumer name the request (correlation id) and the trace.
    const lines = api.logs.filter((line) => line['correlationId'] === 'req-traced-1');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((line) => line['traceId'] === traceId)).toBe(true);
    const completed = api.logs.find((line) => line['msg'] === 'request completed' && line['reqId'] === 'req-traced-1');
    expect(completed).toMatchObject({ traceId, spanId: request?.spanContext().spanId });
  });

  it("continues a caller's traceparent", async () => {
    const callerTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await call(api.url, 'GET', '/health/live', { headers: { traceparent: `00-${callerTrace}-00f067aa0ba902b7-01` } });
    expect(response.status).toBe(200);
    const [live] = spansNamed('GET /health/live');
    expect(live?.spanContext().traceId).toBe(callerTrace);
    expect(live?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
  });
});
