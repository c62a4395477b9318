import type { Redis } from 'ioredis';

export interface RateLimitState {
  count: number;
  /** Milliseconds until the window resets; 0 when nothing is counted. */
  resetInMs: number;
}

// INCR and set the window's expiry in one round trip; the expiry is set only by the first hit.
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('PTTL', KEYS[1])}
`;

/** A fixed-window counter in Redis, shared by every replica. */
export class FixedWindowCounter {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly windowMs: number,
  ) {}

  async hit(key: string): Promise<RateLimitState> {
    const [count, ttl] = (await this.redis.eval(HIT_SCRIPT, 1, this.keyPrefix + key, this.windowMs)) as [number, number];
    return { count, resetInMs: Math.max(ttl, 0) };
  }

  async peek(key: string): Promise<RateLimitState> {
    const [count, ttl] = await this.redis.multi().get(this.keyPrefix + key).pttl(this.keyPrefix + key).exec().then(
      (replies) => (replies ?? []).map(([error, value]) => {
        if (error) throw error;
        return value;
      }),
    );
    return { count: Number(count ?? 0), resetInMs: Math.max(Number(ttl), 0) };
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.keyPrefix + key);
  }
}
