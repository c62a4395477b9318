import { Inject, Injectable } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import { REDIS } from '@bitro/db';
import type { Redis } from 'ioredis';
import { Limit, type LimitOptions } from './limit';

/**
 * Every throttle of the user domain, in one window (LOGIN_THROTTLE_WINDOW_SECONDS). Each counts before the work it
 * guards (a password hash, a password check, a code comparison, an e-mail), so a refused attempt costs one Redis call.
 */
@Injectable()
export class AuthThrottles {
  readonly loginPerIp: Limit;
  /** Attempts without a success (a success resets it). */
  readonly loginPerAccount: Limit;
  readonly signupPerIp: Limit;
  readonly signupPerEmail: Limit;
  /** PATCH /v1/me current-password checks per user (a success resets it). */
  readonly passwordChange: Limit;
  readonly verificationAttempts: Limit;
  readonly verificationResends: Limit;

  constructor(@Inject(REDIS) redis: Redis, @Inject(BITRO_ENV) env: BitroEnv) {
    const limit = (name: string, max: number, problem: LimitOptions['problem']) =>
      new Limit(redis, env.REDIS_KEY_PREFIX, { name, max, windowSeconds: env.LOGIN_THROTTLE_WINDOW_SECONDS, problem });
    const login = { code: 'too-many-login-attempts', what: 'Too many login attempts' };
    const signup = { code: 'too-many-signups', what: 'Too many signups' };
    this.loginPerIp = limit('login:ip', env.LOGIN_MAX_ATTEMPTS_PER_IP, { ...login, scope: 'from this address' });
    this.loginPerAccount = limit('login:account', env.LOGIN_MAX_FAILURES_PER_ACCOUNT, { ...login, scope: 'for this account' });
    this.signupPerIp = limit('signup:ip', env.SIGNUP_MAX_PER_IP, { ...signup, scope: 'from this address' });
    this.signupPerEmail = limit('signup:email', env.SIGNUP_MAX_PER_EMAIL, { ...signup, scope: 'for this e-mail address' });
    this.passwordChange = limit('password-change', env.PASSWORD_CHANGE_MAX_FAILURES, {
      code: 'too-many-password-attempts',
      what: 'Too many wrong current passwords',
      scope: 'for this account',
    });
    this.verificationAttempts = limit('email-verification:attempt', env.EMAIL_VERIFICATION_MAX_ATTEMPTS, {
      code: 'too-many-verification-attempts',
      what: 'Too many verification codes tried',
      scope: 'for this account',
    });
    this.verificationResends = limit('email-verification:resend', env.EMAIL_VERIFICATION_MAX_RESENDS, {
      code: 'too-many-verification-emails',
      what: 'Too many verification e-mails requested',
      scope: 'for this account',
    });
  }
}
