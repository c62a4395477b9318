import { Injectable } from '@nestjs/common';
import { batchedReads } from '@bitro/db';
import type { UserView } from '@bitro/service-api';
import { z } from 'zod';
import { type User, UserPrisma } from './user-prisma';

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

const FIND_USER_VIEWS = {
  name: 'user.find-user-views',
  text: `SELECT id::text, email, display_name AS "displayName", role::text, status::text,
           email_verified_at IS NOT NULL AS "emailVerified", totp_enabled_at IS NOT NULL AS "twoFactorEnabled", created_at AS "createdAt"
         FROM "user".users WHERE id = ANY($1::uuid[])`,
};
type UserViewRow = Omit<UserView, 'createdAt'> & { createdAt: Date };
const uuid = z.uuid();

/**
 * Users' views by id. Named statements on the pool: the ORM cost more CPU than the lookup itself on the hottest reads
 * (`GET /v1/me`, every other domain's `findUser`; ADR 0027), and the views read in one turn of the event loop share a
 * statement (ADR 0044).
 */
@Injectable()
export class UserViews {
  private readonly byId: (id: string) => Promise<UserView | undefined>;

  constructor(prisma: UserPrisma) {
    this.byId = batchedReads(async (ids) => {
      const { rows } = await prisma.pool.query<UserViewRow>({ ...FIND_USER_VIEWS, values: [ids] });
      return new Map(rows.map((row) => [row.id, { ...row, createdAt: row.createdAt.toISOString() }]));
    });
  }

  /** One user's view, or null for an id that is no user's (or no uuid at all). */
  async find(id: string): Promise<UserView | null> {
    if (!uuid.safeParse(id).success) return null;
    return (await this.byId(id.toLowerCase())) ?? null;
  }
}

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();
