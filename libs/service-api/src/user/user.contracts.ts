import { z } from 'zod';

export const userRoleSchema = z.enum(['user', 'admin']);
export type UserRole = z.infer<typeof userRoleSchema>;

export const userStatusSchema = z.enum(['active', 'frozen']);
export type UserStatus = z.infer<typeof userStatusSchema>;

/** What other domains may know about a user. Never a Prisma type. */
export const userViewSchema = z.object({
  id: z.uuid(),
  email: z.email(),
  displayName: z.string(),
  role: userRoleSchema,
  status: userStatusSchema,
  /** The owner proved the e-mail address (see EMAIL_VERIFICATION_REQUIRED). */
  emailVerified: z.boolean(),
  /** A TOTP second factor is enrolled: login and withdrawals need a code. */
  twoFactorEnabled: z.boolean(),
  createdAt: z.iso.datetime(),
}).meta({
  examples: [
    {
      id: '3f6b2c1e-8d4a-4f7b-9c2e-5a1d7e9b0c44',
      email: 'ada@example.com',
      displayName: 'Ada',
      role: 'user',
      status: 'active',
      emailVerified: true,
      twoFactorEnabled: false,
      createdAt: '2026-11-02T06:14:09.331Z',
    },
  ],
});
export type UserView = z.infer<typeof userViewSchema>;

export const createAdminInputSchema = z.object({
  email: z.email().max(254),
  password: z.string().min(10).max(1024),
  displayName: z.string().trim().min(1).max(80),
  /** An account with this e-mail exists already: promote it (new password, sessions ended) instead of refusing. */
  promoteExisting: z.boolean().default(false),
});
export type CreateAdminInput = z.input<typeof createAdminInputSchema>;

export interface CreateAdminResult {
  user: UserView;
  /** False when an existing account was promoted. */
  created: boolean;
  /** The TOTP enrolment (`otpauth://` URI) the admin must add to an authenticator; absent when already enrolled. */
  otpauthUri?: string;
}
