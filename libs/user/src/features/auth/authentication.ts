import { Inject, Injectable } from '@nestjs/common';
import { AccessTokens, secondFactorProblem } from '@bitro/auth';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import { ProblemException } from '@bitro/http';
import { Outbox, type SqlExecutor } from '@bitro/messaging';
import { SecondFactorError, userSignupWithExistingEmailV1 } from '@bitro/service-api';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { KnownDevices, type SignInContext } from './known-devices';
import { type User, type UserDb, UserPrisma, type UserTx } from '../../persistence/user-prisma';
import { Sessions } from '../sessions/sessions';
import { AuthThrottles } from '../throttles/auth-throttles';
import { TwoFactor } from '../two-factor/two-factor';
import { normalizeEmail, toUserView } from '../../persistence/user-view';
import { EmailVerification } from '../email-verification/email-verification';
import type { loginBodySchema, Session, SignupAccepted, signupBodySchema } from './auth.contracts';
import { PasswordHasher } from './password-hasher';
import { hashRefreshToken, newRefreshToken } from './refresh-token';

const invalidCredentials = () => new ProblemException(401, 'invalid-credentials', 'Wrong e-mail or password.');
const invalidRefresh = (detail: string) => new ProblemException(401, 'invalid-refresh-token', detail);
const frozen = () => new ProblemException(403, 'account-frozen', 'This account is frozen; contact support.');

const SIGNUP_ACCEPTED: SignupAccepted = {
  status: 'accepted',
  detail: 'Check your e-mail: a new account gets a verification code there. Then sign in.',
};

/** Signup, login, refresh and logout: the use cases of the auth routes. */
@Injectable()
export class Authentication {
  constructor(
    private readonly prisma: UserPrisma,
    private readonly hasher: PasswordHasher,
    private readonly throttles: AuthThrottles,
    private readonly devices: KnownDevices,
    private readonly sessions: Sessions,
    private readonly twoFactor: TwoFactor,
    private readonly verification: EmailVerification,
    private readonly outbox: Outbox,
    @Inject(AccessTokens) private readonly accessTokens: AccessTokens,
    @Inject(BITRO_ENV) private readonly env: BitroEnv,
  ) {}

  /**
   * Answers the same whether or not the e-mail is taken: a new account gets a verification code by e-mail, the owner
   * of an existing one a notice. The throttles count first, so a refused attempt costs no argon2 hash; an accepted
   * one always costs one (also for a taken address), so the answer's timing tells nothing either.
   */
  async signup(input: z.output<typeof signupBodySchema>, device: SignInContext): Promise<SignupAccepted> {
    const email = normalizeEmail(input.email);
    await Promise.all([this.throttles.signupPerIp.hit(device.ip), this.throttles.signupPerEmail.hit(email)]);
    const passwordHash = await this.hasher.hash(input.password);
    await this.prisma.$transaction(async (tx) => {
      const inserted = await tx.user.createMany({ data: [{ email, passwordHash, displayName: input.displayName }], skipDuplicates: true });
      const user = await tx.user.findUniqueOrThrow({ where: { email } });
      if (inserted.count === 1) await this.verification.issue(tx, user);
      else await this.outbox.append(tx as unknown as SqlExecutor, userSignupWithExistingEmailV1, { userId: user.id, email: user.email });
    });
    return SIGNUP_ACCEPTED;
  }

  /**
   * The attempt is counted per IP and per account before the password is checked (atomically in Redis), so parallel
   * guesses beyond the limit are refused without being checked; a success resets the account's count.
   */
  async login(input: z.output<typeof loginBodySchema>, device: SignInContext): Promise<Session> {
    const email = normalizeEmail(input.email);
    await Promise.all([this.throttles.loginPerIp.hit(device.ip), this.throttles.loginPerAccount.hit(email)]);
    const user = await this.prisma.user.findUnique({ where: { email } });
    if (!(await this.hasher.verify(user?.passwordHash, input.password)) || !user) throw invalidCredentials();
    try {
      await this.twoFactor.check(user, input.totp);
    } catch (error) {
      if (error instanceof SecondFactorError) throw secondFactorProblem(error.reason, { in: 'body', pointer: '/totp' }, 401);
      throw error;
    }
    await this.throttles.loginPerAccount.reset(email);
    if (user.status !== 'active') throw frozen();
    return this.prisma.$transaction((tx) => this.startSession(tx, user, device));
  }

  /**
   * Rotates a refresh token. The token's row is locked for the whole rotation, so concurrent calls
   * with one token run one after the other: the first rotates it, every later one sees a token
   * already used, which means it leaked (or a client raced itself), and revokes the whole family,
   * including the token the first call just issued.
   */
  async refresh(refreshToken: string): Promise<Session> {
    const tokenHash = hashRefreshToken(refreshToken);
    // Outcomes are returned, not thrown, so that a revocation commits.
    const outcome = await this.prisma.$transaction(async (tx) => {
      const [stored] = await tx.$queryRaw<Array<{ id: string; family_id: string; user_id: string; expires_at: Date; rotated_at: Date | null; revoked_at: Date | null }>>`
        SELECT id, family_id, user_id, expires_at, rotated_at, revoked_at FROM "user"."refresh_tokens" WHERE token_hash = ${tokenHash} FOR UPDATE`;
      if (!stored || stored.revoked_at || stored.expires_at <= new Date()) return { kind: 'invalid' } as const;
      if (stored.rotated_at) {
        await this.sessions.revokeFamily(tx, stored.family_id);
        return { kind: 'reused', familyId: stored.family_id } as const;
      }
      await tx.refreshToken.update({ where: { id: stored.id }, data: { rotatedAt: new Date() } });
      const user = await tx.user.findUniqueOrThrow({ where: { id: stored.user_id } });
      if (user.status !== 'active') {
        await this.sessions.revokeFamily(tx, stored.family_id);
        return { kind: 'frozen', familyId: stored.family_id } as const;
      }
      return { kind: 'rotated', session: await this.issue(tx, user, stored.family_id) } as const;
    });
    switch (outcome.kind) {
      case 'rotated':
        return outcome.session;
      case 'reused':
        await this.sessions.announce([outcome.familyId]);
        throw invalidRefresh('This refresh token was already used; the session has been revoked. Sign in again.');
      case 'frozen':
        await this.sessions.announce([outcome.familyId]);
        throw frozen();
      case 'invalid':
        throw invalidRefresh('The refresh token is unknown, expired or revoked. Sign in again.');
    }
  }

  async logout(refreshToken: string): Promise<void> {
    const stored = await this.prisma.refreshToken.findUnique({ where: { tokenHash: hashRefreshToken(refreshToken) } });
    if (stored) await this.sessions.endFamily(stored.familyId);
  }

  /** A new session (refresh-token family), with the device remembered or announced in the same transaction. */
  private async startSession(tx: UserTx, user: User, device: SignInContext): Promise<Session> {
    await this.devices.signedIn(tx, user.id, device);
    return this.issue(tx, user, randomUUID());
  }

  private async issue(db: UserDb, user: User, familyId: string): Promise<Session> {
    const { token, hash } = newRefreshToken();
    await db.refreshToken.create({
      data: {
        userId: user.id,
        familyId,
        tokenHash: hash,
        expiresAt: new Date(Date.now() + this.env.REFRESH_TOKEN_TTL_SECONDS * 1000),
      },
    });
    return {
      tokenType: 'Bearer',
      accessToken: this.accessTokens.sign({ sub: user.id, role: user.role, sid: familyId }),
      expiresIn: this.accessTokens.ttlSeconds,
      refreshToken: token,
      user: toUserView(user),
    };
  }
}
