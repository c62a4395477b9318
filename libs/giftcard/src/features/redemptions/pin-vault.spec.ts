import { describe, expect, it } from 'vitest';
import { PinVault } from './pin-vault';

const vault = new PinVault({ PIN_HASH_KEY: 'k'.repeat(40) });
const pin = '1234567890123456';
const id = '0b7d9c1e-4a52-4f7e-9a0b-6c3d2e1f0a9b';

describe('PinVault', () => {
  it('hashes a PIN per brand under the key, never showing the PIN', () => {
    const hash = vault.hash('cultureland', pin);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(vault.hash('cultureland', pin)).toBe(hash);
    expect(vault.hash('happymoney', pin)).not.toBe(hash);
    expect(new PinVault({ PIN_HASH_KEY: 'o'.repeat(40) }).hash('cultureland', pin)).not.toBe(hash);
    expect(vault.requestFingerprint({ method: 'POST', path: '/v1/giftcards/redemptions', body: { brand: 'cultureland', pin } })).not.toBe(hash);
  });

  it('fingerprints a redemption request under the key, as the same request however its body is ordered', () => {
    const request = { method: 'POST', path: '/v1/giftcards/redemptions', body: { brand: 'cultureland', pin } };
    const fingerprint = vault.requestFingerprint(request);
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(vault.requestFingerprint({ ...request, body: { pin, brand: 'cultureland' } })).toBe(fingerprint);
    expect(vault.requestFingerprint({ ...request, body: { brand: 'happymoney', pin } })).not.toBe(fingerprint);
    expect(new PinVault({ PIN_HASH_KEY: 'o'.repeat(40) }).requestFingerprint(request)).not.toBe(fingerprint);
    expect(fingerprint).not.toContain(pin);
  });

  it('seals a PIN so that only this redemption opens it, with a fresh IV each time', () => {
    const sealed = vault.seal(pin, id);
    expect(Buffer.from(sealed).includes(Buffer.from(pin))).toBe(false);
    expect(Buffer.from(vault.seal(pin, id)).equals(Buffer.from(sealed))).toBe(false);
    expect(vault.open(sealed, id)).toBe(pin);
    expect(() => vault.open(sealed, '5f1c1d55-0000-4000-8000-000000000000')).toThrow();
    expect(() => new PinVault({ PIN_HASH_KEY: 'o'.repeat(40) }).open(sealed, id)).toThrow();
  });

  it('refuses a sealed PIN that was altered', () => {
    const sealed = Buffer.from(vault.seal(pin, id));
    sealed[sealed.length - 1] = (sealed[sealed.length - 1] as number) ^ 1;
    expect(() => vault.open(sealed, id)).toThrow();
  });
});
