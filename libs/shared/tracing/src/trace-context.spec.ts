import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TracingSettings } from '@bitro/config';
import { currentCorrelationId, withCorrelationId } from './correlation';
import { logContext } from './log-context';
import { endSpan, inSpan, SpanKind, startSpan } from './spans';
import { startTracing, type RunningTracing } from './start-tracing';
import { contextOf, currentTraceCarrier } from './trace-context';
import { tracingEnabled } from './tracer';

const settings: TracingSettings = {
  enabled: true,
  tracesUrl: 'http://127.0.0.1:1/v1/traces',
  sampler: 'parentbased_always_on',
  samplerRatio: 1,
  serviceName: 'test',
  resourceAttributes: {},
};

describe('while tracing is off', () => {
  it('carries no trace context and starts no span, but the correlation id travels', async () => {
    expect(await startTracing({ ...settings, enabled: false })).toBeDefined();
    expect(tracingEnabled()).toBe(false);
    expect(startSpan('x', { kind: SpanKind.INTERNAL })).toBeUndefined();
    await inSpan('y', { kind: SpanKind.INTERNAL }, async () => expect(currentTraceCarrier()).toEqual({}));
    expect(withCorrelationId('req-1', () => [currentCorrelationId(), logContext()])).toEqual(['req-1', { correlationId: 'req-1' }]);
    expect(withCorrelationId(undefined, () => logContext())).toEqual({});
  });
});

describe('trace context propagation', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: RunningTracing;
  beforeAll(async () => {
    tracing = await startTracing(settings, { spanExporter: exporter });
  });
  afterAll(() => tracing.shutdown());

  it('injects the active span and extracts it as the parent of a span elsewhere (round trip)', async () => {
    const carrier = await inSpan('producer', { kind: SpanKind.PRODUCER }, async () => currentTraceCarrier());
    expect(carrier.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const consumer = startSpan('consumer', { kind: SpanKind.CONSUMER, parent: carrier });
    endSpan(consumer);
    const [producer, child] = exporter.getFinishedSpans();
    expect(child?.spanContext().traceId).toBe(producer?.spanContext().traceId);
    expect(child?.parentSpanContext?.spanId).toBe(producer?.spanContext().spanId);
    expect(child?.parentSpanContext?.isRemote).toBe(true);
  });

  it('keeps tracestate', () => {
    const carrier = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', tracestate: 'vendor=value' };
    const span = startSpan('child', { kind: SpanKind.INTERNAL, parent: carrier });
    expect(span?.span.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(span?.span.spanContext().traceState?.get('vendor')).toBe('value');
    endSpan(span);
  });

  it.each([
    ['missing', {}],
    ['garbled', { traceparent: 'not-a-traceparent' }],
    ['all-zero trace id', { traceparent: '00-00000000000000000000000000000000-b7ad6b7169203331-01' }],
  ])('starts a new trace when the traceparent is %s', (_, carrier) => {
    expect(contextOf(carrier)).toBeDefined();
    const span = startSpan('root', { kind: SpanKind.CONSUMER, parent: carrier });
    endSpan(span);
    const finished = exporter.getFinishedSpans().at(-1);
    expect(finished?.parentSpanContext).toBeUndefined();
    expect(finished?.spanContext().traceId).toMatch(/^(?!0{32})[0-9a-f]{32}$/);
  });

  it('adds the trace and span ids to log lines inside a span, with the correlation id', async () => {
    const line = await withCorrelationId('req-2', () => inSpan('work', { kind: SpanKind.INTERNAL }, async () => logContext()));
    const work = exporter.getFinishedSpans().at(-1);
    expect(line).toEqual({ correlationId: 'req-2', traceId: work?.spanContext().traceId, spanId: work?.spanContext().spanId });
  });

  it('records a failure on the span and rethrows it', async () => {
    await expect(inSpan('failing', { kind: SpanKind.INTERNAL }, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(exporter.getFinishedSpans().at(-1)?.status).toMatchObject({ code: 2, message: 'boom' });
  });
});
