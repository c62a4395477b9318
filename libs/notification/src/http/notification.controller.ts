import { Body, Controller, Param, Query } from '@nestjs/common';
import { type AccessClaims, Principal } from '@bitro/auth';
import { type BodyOf, type ParamsOf, type QueryOf, Route } from '@bitro/http';
import { Inbox, type NotificationView } from '../inbox/inbox';
import { Preferences, type PreferencesView } from '../preferences/preferences';
import { type DeliveryLogView, WebhookRegistry, type WebhookView } from '../webhooks/webhook-registry';
import {
  deleteWebhookRoute,
  getPreferencesRoute,
  listNotificationsRoute,
  listWebhooksRoute,
  putPreferencesRoute,
  readAllNotificationsRoute,
  readNotificationRoute,
  registerWebhookRoute,
  webhookDeliveriesRoute,
} from './notification.contracts';

@Controller()
export class NotificationController {
  constructor(
    private readonly inbox: Inbox,
    private readonly preferences: Preferences,
    private readonly webhooks: WebhookRegistry,
  ) {}

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

  @Route(getPreferencesRoute)
  getPreferences(@Principal() principal: AccessClaims): Promise<PreferencesView> {
    return this.preferences.get(principal.sub);
  }

  @Route(putPreferencesRoute)
  putPreferences(@Principal() principal: AccessClaims, @Body() body: BodyOf<typeof putPreferencesRoute>): Promise<PreferencesView> {
    return this.preferences.update(principal.sub, body);
  }

  @Route(registerWebhookRoute)
  register(@Principal() principal: AccessClaims, @Body() body: BodyOf<typeof registerWebhookRoute>): Promise<WebhookView & { secret: string }> {
    return this.webhooks.register(principal.sub, body);
  }

  @Route(listWebhooksRoute)
  async listWebhooks(@Principal() principal: AccessClaims): Promise<{ items: WebhookView[] }> {
    return { items: await this.webhooks.list(principal.sub) };
  }

  @Route(deleteWebhookRoute)
  deleteWebhook(@Principal() principal: AccessClaims, @Param() params: ParamsOf<typeof deleteWebhookRoute>): Promise<void> {
    return this.webhooks.remove(principal.sub, params.id);
  }

  @Route(webhookDeliveriesRoute)
  async deliveries(
    @Principal() principal: AccessClaims,
    @Param() params: ParamsOf<typeof webhookDeliveriesRoute>,
    @Query() query: QueryOf<typeof webhookDeliveriesRoute>,
  ): Promise<{ items: DeliveryLogView[] }> {
    return { items: await this.webhooks.deliveries(principal.sub, params.id, query.limit) };
  }
}
