import { type Attributes, type Context, context, type Link, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { contextOf, type TraceCarrier } from './trace-context';
import { activeTracer, tracingEnabled } from './tracer';

export { SpanKind };

export interface SpanOptions {
  kind: SpanKind;
  /** The parent: a carried context (an event's, a stored one); the active context when omitted. */
  parent?: TraceCarrier;
  attributes?: Attributes;
  /** Other contexts this span works for (the rest of a batch), linked rather than parented. */
  links?: readonly TraceCarrier[];
}

/** A span that was started (tracing on) or nothing (off). */
export interface StartedSpan {
  span: Span;
  context: Context;
}

export function startSpan(name: string, options: SpanOptions): StartedSpan | undefined {
  const tracer = activeTracer();
  if (!tracer) return undefined;
  const parent = options.parent ? contextOf(options.parent) : context.active();
  const links = options.links?.map((carrier) => trace.getSpanContext(contextOf(carrier))).filter((linked) => linked !== undefined).map((linked): Link => ({ context: linked }));
  const span = tracer.startSpan(name, { kind: options.kind, attributes: options.attributes, links }, parent);
  return { span, context: trace.setSpan(parent, span) };
}

/** Ends a span, as failed when `error` is given. */
export function endSpan(started: StartedSpan | undefined, error?: unknown): void {
  if (!started) return;
  if (error !== undefined) {
    started.span.recordException(error instanceof Error ? error : String(error));
    started.span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  }
  started.span.end();
}

/** Runs `work` in a new span (active while it runs), ended when it settles; just `work` while tracing is off. */
export async function inSpan<T>(name: string, options: SpanOptions, work: () => Promise<T>): Promise<T> {
  const started = startSpan(name, options);
  if (!started) return work();
  try {
    const result = await context.with(started.context, work);
    endSpan(started);
    return result;
  } catch (error) {
    endSpan(started, error);
    throw error;
  }
}

/** Runs `work` with the span active (its context for what `work` starts, synchronously or not). */
export function withSpan<T>(started: StartedSpan | undefined, work: () => T): T {
  return started ? context.with(started.context, work) : work();
}

/** Runs `work` in a carried context (a stored one): what it starts or carries on continues that trace. */
export function withTraceCarrier<T>(carrier: TraceCarrier, work: () => T): T {
  return tracingEnabled() && carrier.traceparent ? context.with(contextOf(carrier), work) : work();
}
