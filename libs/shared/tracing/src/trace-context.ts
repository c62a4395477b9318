import { type Context, context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { tracingEnabled } from './tracer';

/** W3C Trace Context as it travels in an event envelope or an HTTP request's headers. */
export interface TraceCarrier {
  traceparent?: string;
  tracestate?: string;
}

const carrierAccess = {
  get: (carrier: TraceCarrier, key: string) => (key === 'traceparent' ? carrier.traceparent : key === 'tracestate' ? carrier.tracestate : undefined),
  keys: () => ['traceparent', 'tracestate'],
};

/** The active span's context to carry on ({} while tracing is off or no span is active). */
export function currentTraceCarrier(): TraceCarrier {
  if (!tracingEnabled() || !trace.getActiveSpan()) return {};
  const carrier: TraceCarrier = {};
  propagation.inject(context.active(), carrier, { set: (target, key, value) => void ((target as Record<string, string>)[key] = value) });
  return carrier;
}

/** The context a carrier names, as the parent of a new span; the root context when it names none or a garbled one. */
export function contextOf(carrier: TraceCarrier | undefined): Context {
  if (!tracingEnabled() || !carrier?.traceparent) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, carrier, carrierAccess);
}
