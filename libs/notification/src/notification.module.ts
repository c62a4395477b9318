import { Module } from '@nestjs/common';
import { AccountMailConsumer } from './events/account-mail.consumer';
import { NotificationConsumer } from './events/notification.consumer';
import { AccountMailing } from './features/account-mail/account-mailing';
import { DeliveryAttempts } from './features/delivery/delivery-attempts';
import { DeliveryDispatch } from './features/delivery/delivery-dispatch';
import { DeliveryDispatchSchedule } from './features/delivery/delivery-dispatch.schedule';
import { EmailSender } from './features/delivery/email-sender';
import { WebhookSender } from './features/delivery/webhook-sender';
import { Inbox } from './features/inbox/inbox';
import { InboxController } from './features/inbox/inbox.controller';
import { Notifier } from './features/inbox/notifier';
import { Preferences } from './features/preferences/preferences';
import { PreferencesController } from './features/preferences/preferences.controller';
import { WebhookRegistry } from './features/webhooks/webhook-registry';
import { WebhooksController } from './features/webhooks/webhooks.controller';
import { NotificationPrisma } from './persistence/notification-prisma';

/**
 * The notification domain: alerts users of money events and new-device logins in the in-app inbox, by e-mail
 * (SMTP_URL) and on their webhooks. The consumer only writes; the delivery dispatch (role `worker`) sends. It injects
 * `USER_API` (e-mail addresses) and needs MessagingModule (global).
 */
@Module({
  controllers: [InboxController, PreferencesController, WebhooksController],
  providers: [
    NotificationPrisma,
    Preferences,
    Notifier,
    Inbox,
    WebhookRegistry,
    EmailSender,
    WebhookSender,
    DeliveryAttempts,
    DeliveryDispatch,
    DeliveryDispatchSchedule,
    AccountMailing,
    NotificationConsumer,
    AccountMailConsumer,
  ],
})
export class NotificationModule {}
