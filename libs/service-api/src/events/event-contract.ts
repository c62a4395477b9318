import { z } from 'zod';

/**
 * A versioned domain event: a stable name (`<domain>.<what-happened>.v<N>`), never a class name,
 * and the zod schema of its payload. A breaking change is a new version, published side by side.
 */
export interface EventContract<P extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly payload: P;
}

const EVENT_NAME = /^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.v[1-9][0-9]*$/;

export function defineEvent<P extends z.ZodType>(name: string, payload: P): EventContract<P> {
  if (!EVENT_NAME.test(name)) throw new Error(`Event name "${name}" is not <domain>.<what-happened>.v<N>`);
  return { name, payload };
}

/** An event as it travels: envelope plus payload (JSON: amounts are decimal strings). */
export interface DomainEvent<P = unknown> {
  id: string;
  name: string;
  occurredAt: string;
  payload: P;
  /** W3C trace context of the work that produced the event (absent while untraced, and in older events). */
  traceparent?: string;
  tracestate?: string;
  /** The id of the request that caused the event, travelling on to its consumers (absent in older events). */
  correlationId?: string;
}

export type PayloadOf<C extends EventContract> = z.output<C['payload']>;

/** Satoshis or KRW as a JSON decimal string (integers only; never a float). */
export const amountString = z.string().regex(/^(0|[1-9][0-9]*)$/, 'must be a non-negative integer as a decimal string');
export const positiveAmountString = z.string().regex(/^[1-9][0-9]*$/, 'must be a positive integer as a decimal string');
export const signedAmountString = z.string().regex(/^(0|-?[1-9][0-9]*)$/, 'must be an integer as a decimal string');
