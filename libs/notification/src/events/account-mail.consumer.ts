import { Injectable } from '@nestjs/common';
import { EventSubscriber, handlersIn, type SqlExecutor } from '@bitro/messaging';
import { userEmailVerificationRequestedV1, userSignupWithExistingEmailV1 } from '@bitro/service-api';
import { AccountMailing } from '../features/account-mail/account-mailing';
import { NotificationPrisma, type NotificationTx } from '../persistence/notification-prisma';

const onTx = handlersIn<NotificationTx>();

/**
 * The account e-mails' consumer, apart from NotificationConsumer on purpose. Its handlers wait on SMTP and are retried
 * while it fails, on this consumer's own queue, so an SMTP outage never holds up the notifications of money events.
 * And the consumer name is what its inbox rows, publications and dead letters are keyed by: moving these events to
 * the `notification` consumer would make it a new subscriber of them, backfilled with the last
 * EVENT_NEW_CONSUMER_BACKFILL_MS of events, and every verification code of that window would be e-mailed again.
 */
@EventSubscriber()
@Injectable()
export class AccountMailConsumer implements EventSubscriber {
  readonly consumer = 'notification-account-mail';
  readonly handlers = [
    onTx(userEmailVerificationRequestedV1, (event) => this.mailing.sendVerificationCode(event.payload)),
    onTx(userSignupWithExistingEmailV1, (event) => this.mailing.sendSignupWithExistingEmail(event.payload.email)),
  ];

  constructor(
    private readonly prisma: NotificationPrisma,
    private readonly mailing: AccountMailing,
  ) {}

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.prisma.$transaction((tx) => work(tx));
  }
}
