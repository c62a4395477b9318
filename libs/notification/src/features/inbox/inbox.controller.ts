import { Controller, Param, Query } from '@nestjs/common';
import { type AccessClaims, Principal } from '@bitro/auth';
import { type ParamsOf, type QueryOf, Route } from '@bitro/http';
import { Inbox, type NotificationView } from './inbox';
import { listNotificationsRoute, readAllNotificationsRoute, readNotificationRoute } from './inbox.contracts';

@Controller()
export class InboxController {
  constructor(private readonly inbox: Inbox) {}

  @Route(listNotificationsRoute)
  list(@Principal() principal: AccessClaims, @Query() query: QueryOf<typeof listNotificationsRoute>): Promise<{ items: NotificationView[]; nextCursor: string | null; unreadCount: number }> {
    return this.inbox.list(principal.sub, query);
  }

  @Route(readAllNotificationsRoute)
  async readAll(@Principal() principal: AccessClaims): Promise<{ updated: number }> {
    return { updated: await this.inbox.markAllRead(principal.sub) };
  }

  @Route(readNotificationRoute)
  read(@Principal() principal: AccessClaims, @Param() params: ParamsOf<typeof readNotificationRoute>): Promise<NotificationView> {
    return this.inbox.markRead(principal.sub, params.id);
  }
}
