import { FixedWindowCounter } from '@bitro/db';
import { ProblemException } from '@bitro/http';
import type { Redis } from 'ioredis';

export interface LimitOptions {
  /** Redis key part naming what is counted (`login:account`). */
  name: string;
  max: number;
  windowSeconds: number;
  /** The 429 problem's code and the detail's wording (`Too many login attempts` ... `for this account`). */
  problem: { code: string; what: string; scope: string };
}

/**
 * A fixed-window limit in Redis, so it holds across replicas. {@link hit} counts the attempt atomically (one Lua
 * script) before the caller does any work, so N parallel attempts get counts 1..N and all beyond `max` are refused:
 * checking first and counting after the work would let every parallel attempt pass the check.
 */
export class Limit {
  private readonly counter: FixedWindowCounter;

  constructor(
    redis: Redis,
    keyPrefix: string,
    private readonly options: LimitOptions,
  ) {
    this.counter = new FixedWindowCounter(redis, `${keyPrefix}${options.name}:`, options.windowSeconds * 1000);
  }

  /** Counts one attempt for `key`; throws 429 with Retry-After when it is over the limit. */
  async hit(key: string): Promise<void> {
    const state = await this.counter.hit(key);
    if (state.count > this.options.max) {
      const seconds = Math.max(1, Math.ceil(state.resetInMs / 1000));
      const { code, what, scope } = this.options.problem;
      throw new ProblemException(429, code, `${what} ${scope}; try again in ${seconds} s.`, { headers: { 'retry-after': String(seconds) } });
    }
  }

  async reset(key: string): Promise<void> {
    await this.counter.reset(key);
  }
}
