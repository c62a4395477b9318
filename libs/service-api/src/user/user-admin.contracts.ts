import { z } from 'zod';
import { userRoleSchema, userStatusSchema } from './user.contracts';

/** What an admin sees of a user (search results, the user page). */
export const adminUserViewSchema = z.object({
  id: z.uuid(),
  email: z.email(),
  role: userRoleSchema,
  status: userStatusSchema,
  createdAt: z.iso.datetime(),
  /** Set while the user is frozen. */
  frozenAt: z.iso.datetime().optional(),
  frozenReason: z.string().optional(),
});
export type AdminUserView = z.infer<typeof adminUserViewSchema>;

export const searchUsersInputSchema = z.object({
  /** An exact user id, or a part of the e-mail address (case-insensitive). */
  q: z.string().trim().min(1).max(254).optional(),
  status: userStatusSchema.optional(),
  role: userRoleSchema.optional(),
  limit: z.int().min(1).max(100).default(20),
  /** `nextCursor` of the previous page. */
  cursor: z.string().max(200).optional(),
});
export type SearchUsersInput = z.input<typeof searchUsersInputSchema>;

export interface AdminUserPage {
  items: AdminUserView[];
  nextCursor: string | null;
}

export const freezeReasonSchema = z.string().trim().min(1).max(500);

export const userStatusChangeInputSchema = z.object({
  userId: z.uuid(),
  /** The admin doing it. */
  actorId: z.uuid(),
  reason: freezeReasonSchema,
});
export type UserStatusChangeInput = z.input<typeof userStatusChangeInputSchema>;

export interface UserStatusChange {
  user: AdminUserView;
  /** False when the user already was in the target state: nothing was written or audited. */
  changed: boolean;
}
