import { Injectable, Logger } from '@nestjs/common';
import type { PayloadOf, userEmailVerificationRequestedV1 } from '@bitro/service-api';
import { EmailSender, type EmailMessage } from '../delivery/email-sender';
import { signupWithExistingEmailMail, verificationCodeMail } from './account-mail.templates';

/**
 * Sends the user domain's account e-mails (verification codes, signup with a taken address) by SMTP, and only by
 * e-mail: never the in-app inbox or webhooks, which whoever holds the account can read, whereas the code must prove
 * access to the mailbox. A failed send throws, so messaging retries the event with backoff. Without SMTP_URL
 * (development) nothing is sent.
 */
@Injectable()
export class AccountMailing {
  private readonly logger = new Logger('notification');

  constructor(private readonly email: EmailSender) {}

  sendVerificationCode({ email, code, expiresAt }: PayloadOf<typeof userEmailVerificationRequestedV1>): Promise<void> {
    return this.send(verificationCodeMail(email, code, expiresAt));
  }

  sendSignupWithExistingEmail(email: string): Promise<void> {
    return this.send(signupWithExistingEmailMail(email));
  }

  private async send(message: EmailMessage): Promise<void> {
    if (!this.email.enabled) {
      this.logger.warn('SMTP_URL is not set: an account e-mail (verification code or signup notice) was not sent.');
      return;
    }
    await this.email.send(message);
  }
}
