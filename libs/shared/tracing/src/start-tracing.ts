import { context, propagation, trace } from '@opentelemetry/api';
import type { TracingSettings } from '@bitro/config';
import type { Sampler, SpanExporter } from '@opentelemetry/sdk-trace-node';
import { setActiveTracer } from './tracer';

export interface StartTracingOptions {
  /** Spans go here, one at a time as they end, instead of to the OTLP endpoint (tests: an `InMemorySpanExporter`). */
  spanExporter?: SpanExporter;
}

export interface RunningTracing {
  /** Exports what is buffered, then stops tracing. */
  shutdown(): Promise<void>;
}

const OFF: RunningTracing = { shutdown: async () => undefined };
let running: RunningTracing | undefined;

/**
 * Starts tracing as `settings` say, first thing in a process. Off (the default) it loads nothing: the SDK and the
 * exporter are required here, only when tracing is on, so an untraced process neither holds nor runs them.
 */
export async function startTracing(settings: TracingSettings, options: StartTracingOptions = {}): Promise<RunningTracing> {
  if (!settings.enabled) return OFF;
  if (running) throw new Error('tracing is started already');
  const [sdk, { W3CTraceContextPropagator }, { resourceFromAttributes }, { ATTR_SERVICE_NAME }] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/core'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/semantic-conventions'),
  ]);
  const processor = options.spanExporter
    ? new sdk.SimpleSpanProcessor(options.spanExporter)
    : new sdk.BatchSpanProcessor(new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter({ url: settings.tracesUrl }));
  const ratio = new sdk.TraceIdRatioBasedSampler(settings.samplerRatio);
  const samplers: Record<TracingSettings['sampler'], () => Sampler> = {
    always_on: () => new sdk.AlwaysOnSampler(),
    always_off: () => new sdk.AlwaysOffSampler(),
    traceidratio: () => ratio,
    parentbased_always_on: () => new sdk.ParentBasedSampler({ root: new sdk.AlwaysOnSampler() }),
    parentbased_always_off: () => new sdk.ParentBasedSampler({ root: new sdk.AlwaysOffSampler() }),
    parentbased_traceidratio: () => new sdk.ParentBasedSampler({ root: ratio }),
  };
  const provider = new sdk.NodeTracerProvider({
    resource: resourceFromAttributes({ ...settings.resourceAttributes, [ATTR_SERVICE_NAME]: settings.serviceName }),
    sampler: samplers[settings.sampler](),
    spanProcessors: [processor],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  setActiveTracer(provider.getTracer('bitro'));
  const started: RunningTracing = {
    shutdown: async () => {
      setActiveTracer(undefined);
      running = undefined;
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
  running = started;
  return started;
}
