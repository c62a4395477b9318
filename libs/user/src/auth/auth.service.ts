import { Inject, Injectable } from '@nestjs/common';
import { AccessTokens } from '@bitro/auth';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import { ProblemException } from '@bitro/http';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { Prisma, type User, UserPrisma } from '../persistence/user-prisma';
import { normalizeEmail, toUserView } from '../user-view';
import type { loginBodySchema, Session, signupBodySchema } from './auth.contracts';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password-hasher';
import { hashRefreshToken, newRefreshToken } from './refresh-token';

const invalidCredentials = () => new ProblemException(401, 'invalid-credentials', 'Wrong e-mail or password.');
const invalidRefresh = (detail: string) => new ProblemException(401, 'invalid-refresh-token', detail);
const frozen = () => new ProblemException(403, 'account-frozen', 'This account is frozen; contact support.');

@Injectable()
export class AuthService {
  constructor(
    private readonly prisma: UserPrisma,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    @Inject(AccessTokens) private readonly accessTokens: AccessTokens,
    @Inject(BITRO_ENV) private readonly env: BitroEnv,
  ) {}

  async signup(input: z.output<typeof signupBodySchema>): Promise<Session> {
    const passwordHash = await this.hasher.hash(input.password);
    try {
      const user = await this.prisma.user.create({
        data: { email: normalizeEmail(input.email), passwordHash, displayName: input.displayName },
      });
      return await this.startSession(user);
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        throw new ProblemException(409, 'email-taken', 'An account with this e-mail already exists.');
      }
      throw error;
    }
  }

  async login(input: z.output<typeof loginBodySchema>, ip: string): Promise<Session> {
    const email = normalizeEmail(input.email);
    await this.throttle.admit(ip, email);
    const user = await this.prisma.user.findUnique({ where: { email } });
    if (!(await this.hasher.verify(user?.passwordHash, input.password)) || !user) {
      await this.throttle.recordFailure(email);
      throw invalidCredentials();
    }
    await this.throttle.recordSuccess(email);
    if (user.status !== 'active') throw frozen();
    return this.startSession(user);
  }

  /**
   * Rotates a refresh token. The conditional update makes the token single-use even under
   * concurrent calls; presenting a token that was already rotated means it leaked (or a client
   * raced itself), so the whole family is revoked.
   */
  async refresh(refreshToken: string): Promise<Session> {
    const tokenHash = hashRefreshToken(refreshToken);
    const now = new Date();
    const claimed = await this.prisma.refreshToken.updateMany({
      where: { tokenHash, rotatedAt: null, revokedAt: null, expiresAt: { gt: now } },
      data: { rotatedAt: now },
    });
    const stored = await this.prisma.refreshToken.findUnique({ where: { tokenHash }, include: { user: true } });
    if (claimed.count === 0 || !stored) {
      if (stored?.rotatedAt && !stored.revokedAt) {
        await this.revokeFamily(stored.familyId);
        throw invalidRefresh('This refresh token was already used; the session has been revoked. Sign in again.');
      }
      throw invalidRefresh('The refresh token is unknown, expired or revoked. Sign in again.');
    }
    if (stored.user.status !== 'active') {
      await this.revokeFamily(stored.familyId);
      throw frozen();
    }
    return this.issue(stored.user, stored.familyId);
  }

  async logout(refreshToken: string): Promise<void> {
    const stored = await this.prisma.refreshToken.findUnique({ where: { tokenHash: hashRefreshToken(refreshToken) } });
    if (stored) await this.revokeFamily(stored.familyId);
  }

  async revokeAllSessions(userId: string): Promise<void> {
    await this.prisma.refreshToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
  }

  private async revokeFamily(familyId: string): Promise<void> {
    await this.prisma.refreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: new Date() } });
  }

  private startSession(user: User): Promise<Session> {
    return this.issue(user, randomUUID());
  }

  private async issue(user: User, familyId: string): Promise<Session> {
    const { token, hash } = newRefreshToken();
    await this.prisma.refreshToken.create({
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
