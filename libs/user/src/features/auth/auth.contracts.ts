import { defineRoute, firstExample } from '@bitro/http';
import { userViewSchema } from '@bitro/service-api';
import { z } from 'zod';

// Surrounding blanks (a mobile keyboard's trailing space) are dropped before validation.
const email = z
  .preprocess((value) => (typeof value === 'string' ? value.trim() : value), z.email('must be an e-mail address').max(254))
  .describe('E-mail address; compared case-insensitively.');
const password = z.string().min(10, 'must be at least 10 characters').max(1024);
const refreshToken = z.string().min(1).max(512).describe('The opaque refresh token from signup, login or the last refresh.');

export const signupBodySchema = z.strictObject({
  email,
  password,
  displayName: z.string().trim().min(1, 'must not be empty').max(80),
}).meta({ examples: [{ email: 'ada@example.com', password: 'correct horse battery', displayName: 'Ada' }] });

export const loginBodySchema = z.strictObject({
  email,
  password: z.string().min(1).max(1024),
  totp: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .optional()
    .describe('With two-factor authentication on: the current 6-digit code of the authenticator app, or an unused recovery code.'),
}).meta({ examples: [{ email: 'ada@example.com', password: 'correct horse battery' }, { email: 'ada@example.com', password: 'correct horse battery', totp: '492039' }] });
export const refreshBodySchema = z.strictObject({ refreshToken }).meta({ examples: [{ refreshToken: 'rt_9cQ2x7Lw0pZs4kYv1mNa8eHb' }] });

export const sessionSchema = z.object({
  tokenType: z.literal('Bearer'),
  accessToken: z.string(),
  expiresIn: z.number().int().describe('Seconds until the access token expires.'),
  refreshToken: z.string().describe('Opaque; single use: every refresh returns a new one.'),
  user: userViewSchema,
}).meta({
  examples: [
    {
      tokenType: 'Bearer',
      accessToken: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIzZjZiMmMxZS04ZDRhLTRmN2ItOWMyZS01YTFkN2U5YjBjNDQiLCJyb2xlIjoidXNlciJ9.Jx3q2mS0bV7kqQ1c9gI8m0Zl4oQYk1v3yT6nR2wE5aU',
      expiresIn: 900,
      refreshToken: 'O_y_F3WbxFnfgJ6EDUh8JVgiRe1HVVOtEmTWuJvjlfQ',
      user: firstExample(userViewSchema),
    },
  ],
});
export type Session = z.infer<typeof sessionSchema>;

export const signupAcceptedSchema = z.object({
  status: z.literal('accepted'),
  detail: z.string(),
}).meta({ examples: [{ status: 'accepted', detail: 'Check your e-mail: a new account gets a verification code, an existing one a notice.' }] });
export type SignupAccepted = z.infer<typeof signupAcceptedSchema>;

export const signupRoute = defineRoute({
  method: 'POST',
  path: '/v1/auth/signup',
  tag: 'auth',
  summary: 'Create an account',
  access: 'public',
  body: signupBodySchema,
  responses: {
    202: {
      description:
        'The same answer whether or not the e-mail already has an account (so signup tells nobody which addresses are registered): ' +
        'a new account gets a verification code by e-mail, the owner of an existing one a notice. Then sign in (POST /v1/auth/login).',
      schema: signupAcceptedSchema,
    },
  },
  problems: { 429: { types: ['too-many-signups'], description: 'Too many signups from this address or for this e-mail; see Retry-After.' } },
});

export const loginRoute = defineRoute({
  method: 'POST',
  path: '/v1/auth/login',
  tag: 'auth',
  summary: 'Start a session with e-mail and password',
  access: 'public',
  body: loginBodySchema,
  responses: { 200: { description: 'Signed in.', schema: sessionSchema } },
  problems: {
    401: {
      types: ['invalid-credentials', 'two-factor-required', 'invalid-two-factor-code'],
      description: 'Wrong e-mail or password (the same answer for both); or, with two-factor authentication on, a missing or wrong code (field `totp`).',
    },
    403: { types: ['account-frozen'], description: 'The account is frozen.' },
    429: { types: ['too-many-login-attempts'], description: 'Too many attempts (counted per IP, and per account until a success); see Retry-After.' },
  },
});

export const refreshRoute = defineRoute({
  method: 'POST',
  path: '/v1/auth/refresh',
  tag: 'auth',
  summary: 'Exchange a refresh token for a new access and refresh token',
  access: 'public',
  body: refreshBodySchema,
  responses: { 200: { description: 'New tokens; the refresh token sent is now used up.', schema: sessionSchema } },
  problems: {
    401: { types: ['invalid-refresh-token'], description: 'Unknown, expired or revoked refresh token; reuse of a used one also revokes its whole session.' },
    403: { types: ['account-frozen'], description: 'The account is frozen.' },
  },
});

export const logoutRoute = defineRoute({
  method: 'POST',
  path: '/v1/auth/logout',
  tag: 'auth',
  summary: 'End the session the refresh token belongs to',
  access: 'public',
  body: refreshBodySchema,
  responses: { 204: { description: 'Session ended (also when it was already over).' } },
});
