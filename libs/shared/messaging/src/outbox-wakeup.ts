import { Logger } from '@nestjs/common';
import { Client } from 'pg';

const CHANNEL = 'messaging_outbox';
const RECONNECT_MS = 1_000;

/**
 * LISTENs on the outbox's channel (a trigger NOTIFYs at every commit that appends an event) and calls `onNotify`, so
 * the relay runs at once instead of at its next poll. A lost connection (PostgreSQL restarted) is re-opened every
 * second; meanwhile the poll carries on alone.
 */
export class OutboxWakeup {
  private readonly logger = new Logger('OutboxWakeup');
  private client: Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private lost = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly onNotify: () => void,
  ) {}

  /** Whether commits wake the relay now (false until the LISTEN is set up, and while its connection is lost). */
  get listening(): boolean {
    return this.client !== undefined;
  }

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    // TCP keepalive: a connection that silently died (no RST) is noticed and re-opened, instead of waking nobody.
    const client = new Client({ connectionString: this.databaseUrl, connectionTimeoutMillis: 5_000, keepAlive: true, keepAliveInitialDelayMillis: 10_000 });
    const retry = (error?: Error) => {
      if (this.client === client) this.client = undefined;
      void client.end().catch(() => undefined);
      if (this.stopped) return;
      if (!this.lost) this.logger.warn(`listening for outbox commits stopped (${error?.message ?? 'connection ended'}); polling until it is back`);
      this.lost = true;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.connect(), RECONNECT_MS);
    };
    client.on('error', retry);
    client.on('end', () => retry());
    client.on('notification', () => this.onNotify());
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      if (this.stopped) return void (await client.end());
      this.client = client;
      if (this.lost) this.logger.log('listening for outbox commits again');
      this.lost = false;
      // Whatever was committed while nobody listened.
      this.onNotify();
    } catch (error) {
      retry(error as Error);
    }
  }
}
