import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import type { Transporter } from 'nodemailer';

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Sends notification e-mails through SMTP_URL; without it the e-mail channel is off. */
@Injectable()
export class EmailSender implements OnModuleDestroy {
  private readonly logger = new Logger('notification');
  /** SMTP_URL with the connection timeouts; undefined: e-mail is off. */
  private readonly smtpUrl: string | undefined;
  // nodemailer is loaded by the first e-mail, not at start: a process that sends none never holds it.
  private transport: Promise<Transporter> | undefined;

  constructor(@Inject(BITRO_ENV) private readonly env: BitroEnv) {
    if (env.SMTP_URL) {
      const timeout = env.NOTIFICATION_WEBHOOK_TIMEOUT_MS;
      const url = new URL(env.SMTP_URL);
      // The connection options ride on the URL's query, which nodemailer reads like its options object.
      for (const name of ['connectionTimeout', 'greetingTimeout', 'socketTimeout']) if (!url.searchParams.has(name)) url.searchParams.set(name, String(timeout));
      this.smtpUrl = url.toString();
    } else {
      this.logger.warn('SMTP_URL is not set: notification e-mails are off.');
    }
  }

  get enabled(): boolean {
    return this.smtpUrl !== undefined;
  }

  /** The server's answer to the message (e.g. `250 OK: queued`); throws when the server refuses it or is unreachable. */
  async send(message: EmailMessage): Promise<string> {
    const smtpUrl = this.smtpUrl;
    if (!smtpUrl) throw new Error('The e-mail channel is off (no SMTP_URL)');
    const transport = await (this.transport ??= import('nodemailer').then((nodemailer) => nodemailer.createTransport(smtpUrl)));
    const info = (await transport.sendMail({ from: this.env.SMTP_FROM, ...message })) as { response?: string };
    return info.response ?? '';
  }

  onModuleDestroy(): void {
    void this.transport?.then((transport) => transport.close());
  }
}
