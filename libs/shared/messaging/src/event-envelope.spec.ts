import { withCorrelationId } from '@bitro/tracing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { newEvent } from './event-handler';
import { openMessage } from './inbound-bridge';
import { signMessage } from './message-signing';

const contract = { name: 'test.thing-happened.v1', payload: z.object({ amount: z.string() }) };
const bridge = { consumer: 'inbound-test', queue: 'test-queue', contracts: new Map([[contract.name, contract]]) };
const SECRET = 'a-secret-of-at-least-thirty-two-characters';
const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('the event envelope', () => {
  it('carries the correlation id of the work that creates the event, and none outside one', () => {
    expect(withCorrelationId('req-1', () => newEvent(contract, { amount: '1' })).correlationId).toBe('req-1');
    expect(newEvent(contract, { amount: '1' })).not.toHaveProperty('correlationId');
    // Tracing is off here: no trace context.
    expect(withCorrelationId('req-1', () => newEvent(contract, { amount: '1' }))).not.toHaveProperty('traceparent');
  });

  it('keeps the trace context and correlation id of a bridged message', () => {
    const event = { ...newEvent(contract, { amount: '2' }), traceparent: TRACEPARENT, tracestate: 'k=v', correlationId: 'req-2' };
    expect(openMessage(bridge, [SECRET], signMessage([SECRET], bridge.queue, event))).toEqual(event);
  });

  it('takes in a bridged message without them (an older sender), or with garbled ones, dropping those', () => {
    const event = newEvent(contract, { amount: '3' });
    expect(openMessage(bridge, [SECRET], signMessage([SECRET], bridge.queue, event))).toMatchObject({ id: event.id, payload: { amount: '3' } });
    const garbled = { ...event, traceparent: 'x'.repeat(1_000), tracestate: 42, correlationId: { not: 'a string' } };
    const opened = openMessage(bridge, [SECRET], signMessage([SECRET], bridge.queue, garbled));
    expect(opened).toMatchObject({ id: event.id, payload: { amount: '3' } });
    expect(opened.traceparent ?? opened.tracestate ?? opened.correlationId).toBeUndefined();
  });
});
