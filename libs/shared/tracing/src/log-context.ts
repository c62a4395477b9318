import { trace } from '@opentelemetry/api';
import { currentCorrelationId } from './correlation';
import { tracingEnabled } from './tracer';

export interface LogContext {
  correlationId?: string;
  traceId?: string;
  spanId?: string;
}

/**
 * What a log line adds to say which work it belongs to: pino's `mixin` (a new object each time: pino merges the line's
 * fields into it). Cheap: one store lookup while tracing is off.
 */
export function logContext(): LogContext {
  const correlationId = currentCorrelationId();
  const span = tracingEnabled() ? trace.getActiveSpan() : undefined;
  if (!span) return correlationId ? { correlationId } : {};
  const { traceId, spanId } = span.spanContext();
  return correlationId ? { correlationId, traceId, spanId } : { traceId, spanId };
}
