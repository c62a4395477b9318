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
  createdAt: z.iso.datetime(),
});
export type UserView = z.infer<typeof userViewSchema>;

export const createAdminInputSchema = z.object({
  email: z.email().max(254),
  password: z.string().min(10).max(1024),
  displayName: z.string().trim().min(1).max(80),
});
export type CreateAdminInput = z.infer<typeof createAdminInputSchema>;
