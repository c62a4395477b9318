import { describe, expect, it } from 'vitest';
import { IssuerRequestRejectedError, IssuerUnavailableError } from './issuer.port';
import { SANDBOX_PINS, SandboxIssuer, sandboxValidPin } from './sandbox-issuer.adapter';

const brand = 'cultureland';

describe('SandboxIssuer', () => {
  it('answers the documented PINs', async () => {
    const issuer = new SandboxIssuer();
    expect(await issuer.verify({ brand, pin: SANDBOX_PINS.valid10k })).toEqual({ status: 'valid', faceValueKrw: 10_000n });
    expect(await issuer.verify({ brand, pin: SANDBOX_PINS.valid50k })).toEqual({ status: 'valid', faceValueKrw: 50_000n });
    expect(await issuer.verify({ brand, pin: SANDBOX_PINS.invalid })).toEqual({ status: 'invalid' });
    expect(await issuer.verify({ brand, pin: SANDBOX_PINS.alreadyUsed })).toEqual({ status: 'already-used' });
    expect(await issuer.verify({ brand, pin: '9999-1234-5678-901234' })).toEqual({ status: 'already-used' });
    await expect(issuer.verify({ brand, pin: SANDBOX_PINS.issuerDown })).rejects.toThrow(IssuerUnavailableError);
    await expect(issuer.redeem({ brand, pin: '5555-1111-1111-1111', reference: 'r-down' })).rejects.toThrow(IssuerUnavailableError);
  });

  it('takes other 16- or 18-digit PINs by the parity of their digit sum, ignoring dashes and spaces', async () => {
    const issuer = new SandboxIssuer();
    expect(await issuer.verify({ brand, pin: '1234-5678-1234-5678' })).toEqual({ status: 'valid', faceValueKrw: 10_000n }); // sum 72
    expect(await issuer.verify({ brand, pin: '1234 5678 1234 5679' })).toEqual({ status: 'invalid' }); // sum 73
    expect(await issuer.verify({ brand, pin: '1234-5678-1234-567811' })).toEqual({ status: 'valid', faceValueKrw: 10_000n }); // 18 digits, sum 74
    for (const malformed of ['1234-5678-1234-56', '1234-5678-1234-5678-1', 'abcd-efgh-ijkl-mnop', '']) {
      expect(await issuer.verify({ brand, pin: malformed }), malformed).toEqual({ status: 'invalid' });
    }
  });

  it('makes thousands of distinct valid PINs for load tests', async () => {
    const issuer = new SandboxIssuer();
    const pins = Array.from({ length: 5_000 }, (_, n) => sandboxValidPin(n * 7_919));
    expect(new Set(pins).size).toBe(pins.length);
    expect(pins[0]).toMatch(/^\d{4}-\d{4}-\d{4}-\d{4}$/);
    const answers = await Promise.all(pins.map((pin, n) => issuer.redeem({ brand, pin, reference: `load-${n}` })));
    expect(answers.every((answer) => answer.status === 'redeemed' && answer.faceValueKrw === 10_000n)).toBe(true);
    expect(issuer.redemptionCount).toBe(5_000);
    expect(() => sandboxValidPin(-1)).toThrow(RangeError);
    expect(() => sandboxValidPin(1e14)).toThrow(RangeError);
  });

  it('uses a PIN up once: the same reference gets the first answer, another reference already-used', async () => {
    const issuer = new SandboxIssuer();
    const pin = SANDBOX_PINS.valid50k;
    expect(await issuer.redeem({ brand, pin, reference: 'r1' })).toEqual({ status: 'redeemed', faceValueKrw: 50_000n });
    expect(await issuer.redeem({ brand, pin: '5000000000000000', reference: 'r1' })).toEqual({ status: 'redeemed', faceValueKrw: 50_000n });
    expect(await issuer.redeem({ brand, pin, reference: 'r2' })).toEqual({ status: 'already-used' });
    expect(await issuer.redeem({ brand, pin, reference: 'r2' })).toEqual({ status: 'already-used' });
    expect(await issuer.verify({ brand, pin })).toEqual({ status: 'already-used' });
    expect(await issuer.redeem({ brand, pin, reference: 'r1' })).toEqual({ status: 'redeemed', faceValueKrw: 50_000n });
    expect(issuer.redemptionCount).toBe(1);
    expect(issuer.usedByReference(pin)).toBe('r1');
  });

  it('replays refusals by reference too, and refuses a reference reused for another PIN', async () => {
    const issuer = new SandboxIssuer();
    expect(await issuer.redeem({ brand, pin: SANDBOX_PINS.invalid, reference: 'r3' })).toEqual({ status: 'invalid' });
    expect(await issuer.redeem({ brand, pin: SANDBOX_PINS.invalid, reference: 'r3' })).toEqual({ status: 'invalid' });
    const error = await issuer.redeem({ brand, pin: SANDBOX_PINS.valid10k, reference: 'r3' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IssuerRequestRejectedError);
    expect(error).toMatchObject({ httpStatus: 409 });
    expect(issuer.usedByReference(SANDBOX_PINS.valid10k)).toBeUndefined();
  });

  it('keeps each instance separate', async () => {
    await new SandboxIssuer().redeem({ brand, pin: SANDBOX_PINS.valid10k, reference: 'a' });
    expect(await new SandboxIssuer().verify({ brand, pin: SANDBOX_PINS.valid10k })).toEqual({ status: 'valid', faceValueKrw: 10_000n });
  });
});
