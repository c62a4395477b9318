import { describe, expect, it } from 'vitest';
import { signMessage, UnverifiedMessageError, verifyMessage } from './message-signing';

const OLD = 'o'.repeat(32);
const NEW = 'n'.repeat(32);
const message = { id: '1', name: 'gateway.withdrawal-requested.v1', payload: { amountSats: '1000' } };

describe('message signing', () => {
  it('verifies what it signed, whichever side of a rotation switched first', () => {
    const rotating = signMessage([NEW, OLD], 'gateway-commands', message);
    expect(verifyMessage([NEW], 'gateway-commands', rotating)).toEqual(message);
    expect(verifyMessage([OLD], 'gateway-commands', rotating)).toEqual(message);
    const switched = signMessage([NEW], 'gateway-commands', message);
    expect(verifyMessage([OLD, NEW], 'gateway-commands', switched)).toEqual(message);
    expect(() => verifyMessage([OLD], 'gateway-commands', switched)).toThrow(UnverifiedMessageError);
  });

  it('refuses a changed body, another secret, another queue, or no signature', () => {
    const signed = signMessage([NEW], 'gateway-commands', message);
    const forged = { ...signed, body: signed.body.replace('1000', '9999999') };
    expect(() => verifyMessage([NEW], 'gateway-commands', forged)).toThrow(UnverifiedMessageError);
    expect(() => verifyMessage([OLD], 'gateway-commands', signed)).toThrow(/does not verify/);
    expect(() => verifyMessage([NEW], 'gateway-events', signed)).toThrow(/does not verify/);
    expect(() => verifyMessage([NEW], 'gateway-commands', message)).toThrow(/unsigned/);
    expect(() => verifyMessage([NEW], 'gateway-commands', { ...signed, signature: 'v1=zz' })).toThrow(/malformed/);
  });
});
