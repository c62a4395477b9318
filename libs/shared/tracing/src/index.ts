export { startTracing, type RunningTracing, type StartTracingOptions } from './start-tracing';
export { tracingEnabled } from './tracer';
export { currentCorrelationId, withCorrelationId } from './correlation';
export { contextOf, currentTraceCarrier, type TraceCarrier } from './trace-context';
export { endSpan, inSpan, SpanKind, startSpan, withSpan, withTraceCarrier, type SpanOptions, type StartedSpan } from './spans';
export { logContext, type LogContext } from './log-context';
