import type { UserView } from '@bitro/service-api';
import type { User, UserPrisma } from './user-prisma';

export const toUserView = (user: User): UserView => ({
  id: user.id,
  email: user.email,
  displayName: user.displayName,
  role: user.role,
  status: user.status,
  emailVerified: user.emailVerifiedAt !== null,
  twoFactorEnabled: user.totpEnabledAt !== null,
  createdAt: user.createdAt.toISOString(),
});

const FIND_USER_VIEW = {
  name: 'user.find-user-view',
  text: `SELECT id::text, email, display_name AS "displayName", role::text, status::text,
           email_verified_at IS NOT NULL AS "emailVerified", totp_enabled_at IS NOT NULL AS "twoFactorEnabled", created_at AS "createdAt"
         FROM "user".users WHERE id = $1::uuid`,
};

/**
 * One user's view by id, or null. A named statement on the pool: the ORM cost more CPU than the lookup itself on the
 * hottest reads (`GET /v1/me`, every other domain's `findUser`; ADR 0027).
 */
export async function findUserView(prisma: UserPrisma, id: string): Promise<UserView | null> {
  const { rows } = await prisma.pool.query<Omit<UserView, 'createdAt'> & { createdAt: Date }>({ ...FIND_USER_VIEW, values: [id] });
  const row = rows[0];
  return row ? { ...row, createdAt: row.createdAt.toISOString() } : null;
}

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();
