import type { Tracer } from '@opentelemetry/api';

/** The tracer of the process once tracing is started; undefined while it is off, so every helper is one check. */
let current: Tracer | undefined;

export function activeTracer(): Tracer | undefined {
  return current;
}

export function setActiveTracer(tracer: Tracer | undefined): void {
  current = tracer;
}

export function tracingEnabled(): boolean {
  return current !== undefined;
}
