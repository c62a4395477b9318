import { Secret, TOTP } from 'otpauth';

const PERIOD_SECONDS = 30;

const totpOf = (secret: string, email: string) =>
  new TOTP({ issuer: 'Bitro', label: email, algorithm: 'SHA1', digits: 6, period: PERIOD_SECONDS, secret: Secret.fromBase32(secret) });

/** A new TOTP shared secret (160 random bits, RFC 4226's recommendation), base32. */
export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

/** The `otpauth://totp/...` URI an authenticator app reads (as text or a QR code). */
export const totpUri = (secret: string, email: string): string => totpOf(secret, email).toString();

/**
 * The time step `code` belongs to, when it is the code of the current step or of one step either side (clock drift);
 * null otherwise. The caller accepts each step once, so a code cannot be replayed within its window.
 */
export function totpStepOf(secret: string, email: string, code: string, now = Date.now()): number | null {
  const delta = totpOf(secret, email).validate({ token: code, timestamp: now, window: 1 });
  return delta === null ? null : Math.floor(now / 1000 / PERIOD_SECONDS) + delta;
}

export const isTotpCode = (code: string): boolean => /^[0-9]{6}$/.test(code);
