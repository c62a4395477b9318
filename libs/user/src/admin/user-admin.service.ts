import { Inject, Injectable } from '@nestjs/common';
import { decodeCursor, olderThan, pageOf } from '@bitro/db';
import {
  AdminUserNotFoundError,
  type AdminUserPage,
  type AdminUserView,
  AUDIT_API,
  type AuditApi,
  CannotFreezeSelfError,
  type SearchUsersInput,
  searchUsersInputSchema,
  type UserAdminApi,
  type UserStatus,
  type UserStatusChange,
  type UserStatusChangeInput,
  userStatusChangeInputSchema,
} from '@bitro/service-api';
import { z } from 'zod';
import { Prisma, type User, UserPrisma } from '../persistence/user-prisma';
import { Sessions } from '../sessions/sessions';

const isUuid = (value: string): boolean => z.uuid().safeParse(value).success;

/** `q` as a literal part of a LIKE pattern: its wildcards and the escape character escaped. */
const likeLiteral = (value: string): string => value.replace(/[\\%_]/g, (character) => `\\${character}`);

export const toAdminUserView = (user: User): AdminUserView => ({
  id: user.id,
  email: user.email,
  role: user.role,
  status: user.status,
  createdAt: user.createdAt.toISOString(),
  ...(user.frozenAt ? { frozenAt: user.frozenAt.toISOString() } : {}),
  ...(user.frozenReason !== null ? { frozenReason: user.frozenReason } : {}),
});

/** The user domain's implementation of {@link UserAdminApi}, provided under `USER_ADMIN_API`. */
@Injectable()
export class UserAdminService implements UserAdminApi {
  constructor(
    private readonly prisma: UserPrisma,
    @Inject(AUDIT_API) private readonly audit: AuditApi,
    private readonly sessions: Sessions,
  ) {}

  async search(input: SearchUsersInput): Promise<AdminUserPage> {
    const { q, status, role, limit, cursor } = searchUsersInputSchema.parse(input);
    const match: Prisma.UserWhereInput = q === undefined ? {} : isUuid(q) ? { id: q.toLowerCase() } : { email: { contains: likeLiteral(q.toLowerCase()) } };
    const rows = await this.prisma.user.findMany({
      where: { AND: [match, { status, role }, olderThan('createdAt', cursor === undefined ? null : decodeCursor(cursor))] },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit + 1,
    });
    const page = pageOf(rows, limit, (user) => user);
    return { items: page.items.map(toAdminUserView), nextCursor: page.nextCursor };
  }

  async get(userId: string): Promise<AdminUserView | null> {
    if (!isUuid(userId)) return null;
    const user = await this.prisma.user.findUnique({ where: { id: userId } });
    return user ? toAdminUserView(user) : null;
  }

  /** Also ends every session of the user, so its access tokens stop working at once. */
  async freeze(input: UserStatusChangeInput): Promise<UserStatusChange> {
    const change = await this.changeStatus('frozen', input);
    if (change.changed) await this.sessions.endAll(change.user.id);
    return change;
  }

  unfreeze(input: UserStatusChangeInput): Promise<UserStatusChange> {
    return this.changeStatus('active', input);
  }

  /** Locks the user, changes the status and records the admin action, all in one transaction; a no-op when already there. */
  private async changeStatus(target: UserStatus, input: UserStatusChangeInput): Promise<UserStatusChange> {
    const { userId, actorId, reason } = userStatusChangeInputSchema.parse(input);
    // Nobody decides about their own account: freezing oneself by mistake would lock the admin routes to oneself.
    if (userId === actorId) throw new CannotFreezeSelfError(userId);
    return this.prisma.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM "user"."users" WHERE id = ${userId}::uuid FOR UPDATE`;
      if (locked.length === 0) throw new AdminUserNotFoundError(userId);
      const user = await tx.user.findUniqueOrThrow({ where: { id: userId } });
      if (user.status === target) return { user: toAdminUserView(user), changed: false };
      const frozen = target === 'frozen';
      const updated = await tx.user.update({
        where: { id: userId },
        data: { status: target, frozenAt: frozen ? new Date() : null, frozenReason: frozen ? reason : null },
      });
      await this.audit.record(tx, { action: frozen ? 'user.freeze' : 'user.unfreeze', actorId, subject: `user:${userId}`, details: { reason } });
      return { user: toAdminUserView(updated), changed: true };
    });
  }
}
