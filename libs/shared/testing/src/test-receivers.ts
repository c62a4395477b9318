import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IncomingHttpHeaders } from 'node:http';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** An SMTP server on a random port that keeps every message, parsed. */
export async function startSmtpServer(): Promise<{ url: string; port: number; mails: ParsedMail[]; close(): Promise<void> }> {
  const mails: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          mails.push(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export interface ReceivedWebhook {
  deliveryId: string;
  verified: boolean;
  body: { id: string; type: string; data: Record<string, unknown>; notification: { title: string; body: string } };
}

export interface WebhookReceiverOptions {
  /** Checks a request's signature with the receiver's current `secret`. */
  verify(secret: string, headers: IncomingHttpHeaders, rawBody: string): boolean;
  /** The header carrying the delivery id (the same on every retry). */
  deliveryHeader: string;
  /** 0 (default): a free port, kept across stop() and start(). */
  port?: number;
}

/**
 * A webhook receiver that verifies each request's signature (204, or 401); `stop()` and `start()` take it off and back
 * on the network (the port stays the same).
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  secret = '';
  private server: Server | undefined;

  private constructor(
    private readonly options: WebhookReceiverOptions,
    readonly port: number,
  ) {}

  static async start(options: WebhookReceiverOptions): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver(options, options.port ?? 0);
    await receiver.start();
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  async start(): Promise<void> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const verified = this.options.verify(this.secret, request.headers, raw);
        this.received.push({ deliveryId: String(request.headers[this.options.deliveryHeader]), verified, body: JSON.parse(raw) as ReceivedWebhook['body'] });
        response.writeHead(verified ? 204 : 401).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    (this as { port: number }).port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
