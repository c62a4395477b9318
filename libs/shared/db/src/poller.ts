import { Logger } from '@nestjs/common';
import type { Pool } from 'pg';

/**
 * The pause of a poller that something else wakes at once (LISTEN, a commit in this process): the poll is only the
 * safety net then, so an idle process does not run a query every second.
 */
export const SAFETY_NET_POLL_MS = 10_000;

export interface PollerOptions {
  /** Name in log lines. */
  name: string;
  /** The pause between runs; a function is asked after every run (e.g. slower while another wake-up source is live). */
  intervalMs: number | (() => number);
  /** One run of the work; what it returns is ignored. Errors are logged and the next run retries. */
  run: () => Promise<unknown>;
  /**
   * With a pool and a key, a run first takes `pg_try_advisory_lock(key)` on a connection of its own and skips the
   * run if another process holds it: one gateway replica does the work at a time.
   */
  exclusive?: { pool: Pool; lockKey: number };
}

/**
 * Runs a task every `intervalMs`, never two runs at once; `wake()` starts a run now (or right after the current one).
 * Stopping waits for the current run.
 */
export class Poller {
  private readonly logger: Logger;
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> | undefined;
  private again = false;
  private running = false;
  private lastError: string | undefined;

  constructor(private readonly options: PollerOptions) {
    this.logger = new Logger(options.name);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Runs as soon as possible; a wake during a run queues exactly one more run. */
  wake(): void {
    if (!this.running) return;
    if (this.current) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.current;
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), delayMs);
  }

  private tick(): void {
    this.current = this.runOnce().finally(() => {
      this.current = undefined;
      if (!this.running) return;
      const again = this.again;
      this.again = false;
      this.schedule(again ? 0 : this.intervalMs());
    });
  }

  private intervalMs(): number {
    const { intervalMs } = this.options;
    return typeof intervalMs === 'number' ? intervalMs : intervalMs();
  }

  private async runOnce(): Promise<void> {
    try {
      await (this.options.exclusive ? this.runExclusive(this.options.exclusive) : this.options.run());
      if (this.lastError) this.logger.log('recovered');
      this.lastError = undefined;
    } catch (error) {
      const message = (error as Error).message;
      // The same failure every interval (node down, say) is logged once, until it changes or recovers.
      if (message !== this.lastError) this.logger.warn(`run failed, retrying every ${this.intervalMs()} ms: ${message}`);
      this.lastError = message;
    }
  }

  private async runExclusive({ pool, lockKey }: { pool: Pool; lockKey: number }): Promise<void> {
    const client = await pool.connect();
    try {
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [lockKey]);
      if (!rows[0]?.locked) return;
      try {
        await this.options.run();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [lockKey]);
      }
    } finally {
      client.release();
    }
  }
}
