import { defineRoute } from '@bitro/http';
import { z } from 'zod';

const code = z.string().trim().min(1).max(64).describe('A current 6-digit code of the authenticator app (removal: or an unused recovery code).');

export const twoFactorCodeBodySchema = z.strictObject({ code }).meta({ examples: [{ code: '492039' }] });

export const enrolmentSchema = z.object({
  secret: z.string().describe('The shared secret, base32 (for typing it in).'),
  otpauthUri: z.string().describe('`otpauth://totp/...`: what an authenticator app reads, e.g. from a QR code.'),
});

export const recoveryCodesSchema = z.object({
  recoveryCodes: z.array(z.string()).describe('One-time codes for when the authenticator is lost; shown only now.'),
});

export const beginTwoFactorRoute = defineRoute({
  method: 'POST',
  path: '/v1/me/two-factor',
  tag: 'me',
  summary: 'Start enrolling a TOTP second factor',
  access: 'user',
  responses: { 201: { description: 'A new secret; in force once confirmed with a first code.', schema: enrolmentSchema } },
  problems: { 409: { types: ['two-factor-already-enabled'], description: 'Two-factor authentication is already on.' } },
});

export const confirmTwoFactorRoute = defineRoute({
  method: 'POST',
  path: '/v1/me/two-factor/confirm',
  tag: 'me',
  summary: 'Confirm the enrolment with a first code; from then on login and withdrawals need a code',
  access: 'user',
  body: twoFactorCodeBodySchema,
  responses: { 200: { description: 'Two-factor authentication is on.', schema: recoveryCodesSchema } },
  problems: {
    403: { types: ['invalid-two-factor-code'], description: 'The code is wrong or expired.' },
    409: { types: ['two-factor-not-started', 'two-factor-already-enabled'], description: 'Not started, or already on.' },
  },
});

export const removeTwoFactorRoute = defineRoute({
  method: 'POST',
  path: '/v1/me/two-factor/remove',
  tag: 'me',
  summary: 'Turn two-factor authentication off (needs a code)',
  access: 'user',
  body: twoFactorCodeBodySchema,
  responses: { 204: { description: 'Off; the recovery codes are void.' } },
  problems: {
    403: { types: ['two-factor-required', 'invalid-two-factor-code'], description: 'The code is missing, wrong, expired or already used.' },
    409: { types: ['two-factor-not-enabled'], description: 'Two-factor authentication is not on.' },
  },
});
