import { Injectable } from '@nestjs/common';
import { ProblemException } from '@bitro/http';
import { decodeCursor, olderThan, pageOf } from '@bitro/db';
import { type Notification, NotificationPrisma } from '../../persistence/notification-prisma';

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
    const after = query.cursor ? decodeCursor(query.cursor) : null;
    const [rows, unreadCount] = await Promise.all([
      this.prisma.notification.findMany({
        where: {
          userId,
          inApp: true,
          ...(query.unread ? { readAt: null } : {}),
          ...olderThan('createdAt', after),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: query.limit + 1,
      }),
      this.prisma.notification.count({ where: { userId, inApp: true, readAt: null } }),
    ]);
    const page = pageOf(rows, query.limit, (row) => row);
    return { items: page.items.map(toView), nextCursor: page.nextCursor, unreadCount };
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
