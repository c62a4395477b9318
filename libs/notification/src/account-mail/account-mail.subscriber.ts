import { Injectable, Logger } from '@nestjs/common';
import { EventSubscriber, on, type SqlExecutor } from '@bitro/messaging';
import { userEmailVerificationRequestedV1, userSignupWithExistingEmailV1 } from '@bitro/service-api';
import { EmailSender } from '../delivery/email-sender';
import { NotificationPrisma } from '../persistence/notification-prisma';
import { signupWithExistingEmailMail, verificationCodeMail } from './account-mail.templates';

/**
 * Sends the user domain's account e-mails (verification codes, signup with a taken address) by SMTP, and only by
 * e-mail: never the in-app inbox or webhooks, which whoever holds the account can read, whereas the code must prove
 * access to the mailbox. A failed send throws, so messaging retries the event with backoff. Without SMTP_URL
 * (development) nothing is sent.
 */
@EventSubscriber()
@Injectable()
export class AccountMailSubscriber implements EventSubscriber {
  readonly consumer = 'notification-account-mail';
  private readonly logger = new Logger('notification');
  readonly handlers = [
    on(userEmailVerificationRequestedV1, async (event) => {
      const { email, code, expiresAt } = event.payload;
      await this.send(verificationCodeMail(email, code, expiresAt));
    }),
    on(userSignupWithExistingEmailV1, async (event) => {
      await this.send(signupWithExistingEmailMail(event.payload.email));
    }),
  ];

  constructor(
    private readonly prisma: NotificationPrisma,
    private readonly email: EmailSender,
  ) {}

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.prisma.$transaction((tx) => work(tx));
  }

  private async send(message: Parameters<EmailSender['send']>[0]): Promise<void> {
    if (!this.email.enabled) {
      this.logger.warn('SMTP_URL is not set: an account e-mail (verification code or signup notice) was not sent.');
      return;
    }
    await this.email.send(message);
  }
}
