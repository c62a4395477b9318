import { Inject, Injectable } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import { REDIS } from '@bitro/db';
import type { Redis } from 'ioredis';

// A revoked session's access tokens may still be unexpired for ACCESS_TOKEN_TTL_SECONDS; a minute more covers clock skew.
const SKEW_SECONDS = 60;

/**
 * Sessions (refresh-token families, the `sid` of access tokens) ended before their access tokens expire: logout,
 * refresh-token reuse, a password change, a freeze. Kept in Redis for one access-token lifetime, so the access guard
 * refuses their tokens at once on every replica with one key lookup, and the set stays as small as the sessions
 * ended in the last 15 minutes.
 */
@Injectable()
export class SessionRevocations {
  private readonly prefix: string;
  private readonly ttlSeconds: number;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(BITRO_ENV) env: BitroEnv,
  ) {
    this.prefix = `${env.REDIS_KEY_PREFIX}session-revoked:`;
    this.ttlSeconds = env.ACCESS_TOKEN_TTL_SECONDS + SKEW_SECONDS;
  }

  async revoke(sessionIds: Iterable<string>): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const id of new Set(sessionIds)) pipeline.set(this.prefix + id, '1', 'EX', this.ttlSeconds);
    if (pipeline.length > 0) await pipeline.exec();
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    return (await this.redis.exists(this.prefix + sessionId)) === 1;
  }
}
