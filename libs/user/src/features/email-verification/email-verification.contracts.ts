import { defineRoute } from '@bitro/http';
import { userViewSchema } from '@bitro/service-api';
import { z } from 'zod';

export const verifyEmailBodySchema = z.strictObject({
  code: z.string().trim().regex(/^[0-9]{6}$/, 'must be the 6-digit code from the e-mail'),
}).meta({ examples: [{ code: '381204' }] });

export const verificationSentSchema = z
  .object({ expiresAt: z.iso.datetime().describe('When the new code stops working.') })
  .meta({ examples: [{ expiresAt: '2026-11-02T06:29:09.331Z' }] });

export const verifyEmailRoute = defineRoute({
  method: 'POST',
  path: '/v1/me/email-verification',
  tag: 'me',
  summary: 'Verify the e-mail address with the code sent to it',
  access: 'user',
  body: verifyEmailBodySchema,
  responses: { 200: { description: 'Verified (also when it already was).', schema: userViewSchema } },
  problems: {
    422: { types: ['invalid-verification-code'], description: 'The code is wrong or expired.' },
    429: { types: ['too-many-verification-attempts'], description: 'Too many codes tried; see Retry-After.' },
  },
});

export const resendVerificationRoute = defineRoute({
  method: 'POST',
  path: '/v1/me/email-verification/resend',
  tag: 'me',
  summary: 'Send a new verification code (the previous one stops working)',
  access: 'user',
  responses: { 202: { description: 'A new code is on its way.', schema: verificationSentSchema } },
  problems: {
    409: { types: ['email-already-verified'], description: 'The address is already verified.' },
    429: { types: ['too-many-verification-emails'], description: 'Too many e-mails requested; see Retry-After.' },
  },
});
