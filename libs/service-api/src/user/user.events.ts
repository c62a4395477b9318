import { z } from 'zod';
import { defineEvent } from '../events/event-contract';

/** A user signed in from a device (User-Agent) not seen on that account before; never on the account's first sign-in. */
export const userLoginNewDeviceV1 = defineEvent(
  'user.login-new-device.v1',
  z.object({
    userId: z.uuid(),
    /** The client's User-Agent as sent (cut to 300 characters); empty when it sent none. */
    userAgent: z.string().max(300),
    ip: z.string().max(64),
  }),
);

/**
 * A verification code for the user's e-mail address (at signup, or a resend): the notification domain e-mails it to
 * `email`, and only there (never the in-app inbox or webhooks, which the account's holder can read).
 */
export const userEmailVerificationRequestedV1 = defineEvent(
  'user.email-verification-requested.v1',
  z.object({
    userId: z.uuid(),
    email: z.email(),
    code: z.string().regex(/^[0-9]{6}$/),
    expiresAt: z.iso.datetime(),
  }),
);

/** Someone tried to sign up with the e-mail of an existing account: its owner is told by e-mail (signup answers the same). */
export const userSignupWithExistingEmailV1 = defineEvent(
  'user.signup-with-existing-email.v1',
  z.object({ userId: z.uuid(), email: z.email() }),
);
