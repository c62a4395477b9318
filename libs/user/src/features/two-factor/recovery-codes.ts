import { createHash, randomBytes } from 'node:crypto';

const COUNT = 10;

/** Lower case, without the dashes and blanks people type in; the form that is hashed. */
const canonical = (code: string): string => code.toLowerCase().replace(/[\s-]/g, '');

export const hashRecoveryCode = (code: string): string => createHash('sha256').update(canonical(code)).digest('hex');

/**
 * Ten one-time recovery codes of 64 random bits each (`xxxx-xxxx-xxxx-xxxx`, hex): high-entropy, so a plain SHA-256
 * is as good as a slow hash for storing them.
 */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: COUNT }, () => (randomBytes(8).toString('hex').match(/.{4}/g) ?? []).join('-'));
}
