import { z } from 'zod';

/** What a brand says about its PINs (the catalogue's columns). */
export interface PinRule {
  pinPattern: string;
  pinFormat: string;
}

// Every dash a keyboard or a copy from a web page may produce, after NFKC has folded full-width forms.
const SEPARATORS = /[\s\u002D\u2010-\u2015\u2212]/gu;

/** The PIN as the issuer knows it: full-width digits folded, spaces and dashes dropped. */
export const normalizePin = (pin: string): string => pin.normalize('NFKC').replace(SEPARATORS, '');

/** The zod schema of a brand's PIN: normalises, then checks the brand's pattern. */
export function pinSchema(rule: PinRule) {
  const pattern = new RegExp(rule.pinPattern);
  return z
    .string()
    .max(64, 'is too long')
    .transform(normalizePin)
    .pipe(z.string().regex(pattern, `must be ${rule.pinFormat}`));
}
