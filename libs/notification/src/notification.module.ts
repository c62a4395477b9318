import { Module } from '@nestjs/common';
import { AccountMailSubscriber } from './account-mail/account-mail.subscriber';
import { DeliveryAttempts } from './delivery/delivery-attempts';
import { DeliveryWorker } from './delivery/delivery-worker';
import { EmailSender } from './delivery/email-sender';
import { WebhookSender } from './delivery/webhook-sender';
import { NotificationEventSubscriber } from './events/notification-event.subscriber';
import { NotificationController } from './http/notification.controller';
import { Inbox } from './inbox/inbox';
import { Notifier } from './inbox/notifier';
import { NotificationPrisma } from './persistence/notification-prisma';
import { Preferences } from './preferences/preferences';
import { WebhookRegistry } from './webhooks/webhook-registry';

/**
 * The notification domain: alerts users of money events and new-device logins in the in-app inbox, by e-mail
 * (SMTP_URL) and on their webhooks. The consumer only writes; the delivery worker (role `worker`) sends. It injects
 * `USER_API` (e-mail addresses) and needs MessagingModule (global).
 */
@Module({
  controllers: [NotificationController],
  providers: [
    NotificationPrisma,
    Preferences,
    Notifier,
    Inbox,
    WebhookRegistry,
    EmailSender,
    WebhookSender,
    DeliveryAttempts,
    DeliveryWorker,
    NotificationEventSubscriber,
    AccountMailSubscriber,
  ],
})
export class NotificationModule {}
