import { Inject, Injectable } from '@nestjs/common';
import { AccessTokens } from '@bitro/auth';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import { ProblemException } from '@bitro/http';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { KnownDevices, type SignInContext } from '../devices/known-devices';
import { Prisma, type User, type UserDb, UserPrisma, type UserTx } from '../persistence/user-prisma';
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
    private readonly devices: KnownDevices,
    @Inject(AccessTokens) private readonly accessTokens: AccessTokens,
    @Inject(BITRO_ENV) private readonly env: BitroEnv,
  ) {}

  async signup(input: z.output<typeof signupBodySchema>, device: SignInContext): Promise<Session> {
    const passwordHash = await this.hasher.hash(input.password);
    try {
      return await this.prisma.$transaction(async (tx) => {
        const user = await tx.user.create({
          data: { email: normalizeEmail(input.email), passwordHash, displayName: input.displayName },
        });
        return this.startSession(tx, user, device);
      });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        throw new ProblemException(409, 'email-taken', 'An account with this e-mail already exists.');
      }
      throw error;
    }
  }

  async login(input: z.output<typeof loginBodySchema>, device: SignInContext): Promise<Session> {
    const email = normalizeEmail(input.email);
    await this.throttle.admit(device.ip, email);
    const user = await this.prisma.user.findUnique({ where: { email } });
    if (!(await this.hasher.verify(user?.passwordHash, input.password)) || !user) {
      await this.throttle.recordFailure(email);
      throw invalidCredentials();
    }
    await this.throttle.recordSuccess(email);
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
        await this.revokeFamily(tx, stored.family_id);
        return { kind: 'reused' } as const;
      }
      await tx.refreshToken.update({ where: { id: stored.id }, data: { rotatedAt: new Date() } });
      const user = await tx.user.findUniqueOrThrow({ where: { id: stored.user_id } });
      if (user.status !== 'active') {
        await this.revokeFamily(tx, stored.family_id);
        return { kind: 'frozen' } as const;
      }
      return { kind: 'rotated', session: await this.issue(tx, user, stored.family_id) } as const;
    });
    switch (outcome.kind) {
      case 'rotated':
        return outcome.session;
      case 'reused':
        throw invalidRefresh('This refresh token was already used; the session has been revoked. Sign in again.');
      case 'frozen':
        throw frozen();
      case 'invalid':
        throw invalidRefresh('The refresh token is unknown, expired or revoked. Sign in again.');
    }
  }

  async logout(refreshToken: string): Promise<void> {
    const stored = await this.prisma.refreshToken.findUnique({ where: { tokenHash: hashRefreshToken(refreshToken) } });
    if (stored) await this.revokeFamily(this.prisma, stored.familyId);
  }

  async revokeAllSessions(userId: string): Promise<void> {
    await this.prisma.refreshToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
  }

  private async revokeFamily(db: UserDb, familyId: string): Promise<void> {
    await db.refreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: new Date() } });
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
