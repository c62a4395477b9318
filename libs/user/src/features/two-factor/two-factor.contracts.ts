import { defineRoute } from '@bitro/http';
import { z } from 'zod';

const code = z.string().trim().min(1).max(64).describe('A current 6-digit code of the authenticator app (removal: or an unused recovery code).');

export const twoFactorCodeBodySchema = z.strictObject({ code }).meta({ examples: [{ code: '492039' }] });

export const enrolmentSchema = z.object({
  secret: z.string().describe('The shared secret, base32 (for typing it in).'),
  otpauthUri: z.string().describe('`otpauth://totp/...`: what an authenticator app reads, e.g. from a QR code.'),
}).meta({
  examples: [
    {
      secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
      otpauthUri: 'otpauth://totp/Bitro:ada%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Bitro&algorithm=SHA1&digits=6&period=30',
    },
  ],
});

export const recoveryCodesSchema = z.object({
  recoveryCodes: z.array(z.string()).describe('One-time codes for when the authenticator is lost; shown only now.'),
}).meta({
  examples: [
    {
      recoveryCodes: [
        'bc02-0a47-e7bc-9bd2', 'e27c-12a1-2bcf-7d72', '9311-7693-172f-e3d5', '2eb6-7308-ce94-0bc3', 'dd6b-dcc9-0410-0fbd',
        'b2bc-ca55-9183-9a23', 'd1f1-43cb-cd62-ebd8', '8981-3457-b1fd-98e2', '2a3a-5510-82dc-5d22', 'c796-cb19-02fb-1310',
      ],
    },
  ],
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
