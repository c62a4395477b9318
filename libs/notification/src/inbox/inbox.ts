import { Injectable } from '@nestjs/common';
import { ProblemException } from '@bitro/http';
import { z } from 'zod';
import { type Notification, NotificationPrisma } from '../persistence/notification-prisma';

export interface NotificationView {
  id: string;
  type: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
  read: boolean;
  readAt: string | null;
  createdAt: string;
}

const cursorSchema = z.tuple([z.iso.datetime(), z.uuid()]);

/** Opaque to clients: base64url of `[createdAt, id]` of the last item of a page. */
export function decodeInboxCursor(cursor: string): { createdAt: Date; id: string } | null {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? { createdAt: new Date(parsed.data[0]), id: parsed.data[1] } : null;
  } catch {
    return null;
  }
}

const encodeCursor = (row: Notification): string => Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString('base64url');

const toView = (row: Notification): NotificationView => ({
  id: row.id,
  type: row.type,
  title: row.title,
  body: row.body,
  data: row.data as Record<string, unknown>,
  read: row.readAt !== null,
  readAt: row.readAt?.toISOString() ?? null,
  createdAt: row.createdAt.toISOString(),
});

/** The in-app inbox: newest first, read marks. */
@Injectable()
export class Inbox {
  constructor(private readonly prisma: NotificationPrisma) {}

  async list(userId: string, query: { limit: number; cursor?: string; unread?: boolean }): Promise<{ items: NotificationView[]; nextCursor: string | null; unreadCount: number }> {
    const after = query.cursor ? decodeInboxCursor(query.cursor) : null;
    const [rows, unreadCount] = await Promise.all([
      this.prisma.notification.findMany({
        where: {
          userId,
          inApp: true,
          ...(query.unread ? { readAt: null } : {}),
          ...(after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {}),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: query.limit + 1,
      }),
      this.prisma.notification.count({ where: { userId, inApp: true, readAt: null } }),
    ]);
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return { items: items.map(toView), nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null, unreadCount };
  }

  async markRead(userId: string, id: string): Promise<NotificationView> {
    await this.prisma.notification.updateMany({ where: { id, userId, inApp: true, readAt: null }, data: { readAt: new Date() } });
    const row = await this.prisma.notification.findFirst({ where: { id, userId, inApp: true } });
    if (!row) throw new ProblemException(404, 'notification-not-found', 'No notification of yours has this id.');
    return toView(row);
  }

  async markAllRead(userId: string): Promise<number> {
    const { count } = await this.prisma.notification.updateMany({ where: { userId, inApp: true, readAt: null }, data: { readAt: new Date() } });
    return count;
  }
}
