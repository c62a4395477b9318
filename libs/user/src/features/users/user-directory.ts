import { Injectable } from '@nestjs/common';
import { decodeCursor, olderThan, pageOf } from '@bitro/db';
import { z } from 'zod';
import { Prisma, UserPrisma } from '../../persistence/user-prisma';
import { toAdminUserView } from './admin-user-view';
import { type AdminUserPage, type AdminUserView, type SearchUsersInput, searchUsersInputSchema } from './users.contracts';

const isUuid = (value: string): boolean => z.uuid().safeParse(value).success;

/** `q` as a literal part of a LIKE pattern: its wildcards and the escape character escaped. */
const likeLiteral = (value: string): string => value.replace(/[\\%_]/g, (character) => `\\${character}`);

/** Support's view of the users. The caller checks the admin role (and audits the read). */
@Injectable()
export class UserDirectory {
  constructor(private readonly prisma: UserPrisma) {}

  /** Newest first; `q` is an exact user id or a case-insensitive part of the e-mail address. */
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

  /** The user, or `null` when no user has this id. */
  async get(userId: string): Promise<AdminUserView | null> {
    if (!isUuid(userId)) return null;
    const user = await this.prisma.user.findUnique({ where: { id: userId } });
    return user ? toAdminUserView(user) : null;
  }
}
