import { Inject, Injectable } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import { FixedWindowCounter, REDIS } from '@bitro/db';
import { ProblemException } from '@bitro/http';
import type { Redis } from 'ioredis';

/**
 * Login throttling in Redis, so it holds across replicas: every attempt counts against the
 * caller's IP, failed ones against the account. Over either limit the caller gets 429 with
 * `Retry-After` until the window ends.
 */
@Injectable()
export class LoginThrottle {
  private readonly perIp: FixedWindowCounter;
  private readonly perAccount: FixedWindowCounter;

  constructor(@Inject(REDIS) redis: Redis, @Inject(BITRO_ENV) private readonly env: BitroEnv) {
    const windowMs = env.LOGIN_THROTTLE_WINDOW_SECONDS * 1000;
    this.perIp = new FixedWindowCounter(redis, `${env.REDIS_KEY_PREFIX}login:ip:`, windowMs);
    this.perAccount = new FixedWindowCounter(redis, `${env.REDIS_KEY_PREFIX}login:account:`, windowMs);
  }

  /** Counts an attempt and refuses it when the IP or the account is over its limit. */
  async admit(ip: string, email: string): Promise<void> {
    const [ipState, accountState] = await Promise.all([this.perIp.hit(ip), this.perAccount.peek(email)]);
    if (ipState.count > this.env.LOGIN_MAX_ATTEMPTS_PER_IP) this.refuse(ipState.resetInMs, 'from this address');
    if (accountState.count >= this.env.LOGIN_MAX_FAILURES_PER_ACCOUNT) this.refuse(accountState.resetInMs, 'for this account');
  }

  async recordFailure(email: string): Promise<void> {
    await this.perAccount.hit(email);
  }

  async recordSuccess(email: string): Promise<void> {
    await this.perAccount.reset(email);
  }

  private refuse(resetInMs: number, what: string): never {
    const seconds = Math.max(1, Math.ceil(resetInMs / 1000));
    throw new ProblemException(429, 'too-many-login-attempts', `Too many login attempts ${what}; try again in ${seconds} s.`, {
      headers: { 'retry-after': String(seconds) },
    });
  }
}
