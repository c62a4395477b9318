import { describe, expect, it } from 'vitest';
import { GATEWAY_MESSAGES, depositConfirmedV1, parseGatewayMessage, withdrawalRequestedV1 } from './messages';
import { GATEWAY_QUEUES } from './queues';
import { validateAddressRoute } from './internal-routes';

const userId = '7d1d5a8e-3a4f-4b6c-9a53-2f0e4b8a1c11';
const txid = 'a'.repeat(64);

describe('gateway messages', () => {
  it('have unique versioned names on the right queues', () => {
    const names = GATEWAY_MESSAGES.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.every((n) => /^gateway\.[a-z-]+\.v1$/.test(n))).toBe(true);
    expect(withdrawalRequestedV1.queue).toBe(GATEWAY_QUEUES.commands);
    expect(depositConfirmedV1.queue).toBe(GATEWAY_QUEUES.events);
  });

  it('parses an envelope against the contract it names', () => {
    const payload = { userId, address: 'bcrt1qxyz0000000000000', txid, vout: 1, amountSats: '12345', confirmations: 6, blockHash: 'b'.repeat(64), blockHeight: 120 };
    const message = { id: '0c9c2c57-8f4e-4a8e-8a55-0f5f7a3b2d10', name: 'gateway.deposit-confirmed.v1', occurredAt: '2026-11-24T10:00:00.000Z', payload };
    expect(parseGatewayMessage(message).payload).toEqual(payload);
    expect(() => parseGatewayMessage({ ...message, payload: { ...payload, amountSats: 12345 } })).toThrow();
    expect(() => parseGatewayMessage({ ...message, payload: { ...payload, amountSats: '0.5' } })).toThrow();
    expect(() => parseGatewayMessage({ ...message, payload: { ...payload, txid: 'A'.repeat(64) } })).toThrow();
    expect(() => parseGatewayMessage({ ...message, payload: { ...payload, confirmations: 0 } })).toThrow();
    expect(() => parseGatewayMessage({ ...message, name: 'gateway.deposit-confirmed.v9' })).toThrow(/Unknown gateway message/);
  });

  it('types the address validation answer as a union', () => {
    expect(validateAddressRoute.response.parse({ valid: false, reason: 'bad-checksum', message: 'x' })).toEqual({
      valid: false,
      reason: 'bad-checksum',
      message: 'x',
    });
    expect(() => validateAddressRoute.response.parse({ valid: false, reason: 'nope', message: 'x' })).toThrow();
    expect(() => validateAddressRoute.body.parse({ address: 'x', extra: 1 })).toThrow();
  });
});
