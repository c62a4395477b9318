import { Inject, Injectable } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import { ProblemException } from '@bitro/http';
import { Outbox, type SqlExecutor } from '@bitro/messaging';
import { userEmailVerificationRequestedV1 } from '@bitro/service-api';
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { type User, UserPrisma, type UserTx } from '../../persistence/user-prisma';
import { AuthThrottles } from '../throttles/auth-throttles';

// Bound to the user, so a hash found elsewhere says nothing about another account.
const hashOf = (userId: string, code: string): Buffer => createHash('sha256').update(`${userId}:${code}`).digest();

const invalidCode = () =>
  new ProblemException(422, 'invalid-verification-code', 'The code is wrong or expired; ask for a new one (POST /v1/me/email-verification/resend).', {
    errors: [{ in: 'body', pointer: '/code', message: 'is wrong or expired' }],
  });

/**
 * E-mail verification by a 6-digit code: one pending code per user (a resend replaces it), stored as a hash, valid for
 * EMAIL_VERIFICATION_TTL_SECONDS. Issuing one appends `user.email-verification-requested.v1` in the caller's
 * transaction; the notification domain e-mails it. Guesses and resends are throttled per user.
 */
@Injectable()
export class EmailVerification {
  constructor(
    private readonly prisma: UserPrisma,
    private readonly outbox: Outbox,
    private readonly throttles: AuthThrottles,
    @Inject(BITRO_ENV) private readonly env: BitroEnv,
  ) {}

  async issue(tx: UserTx, user: Pick<User, 'id' | 'email'>): Promise<Date> {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const expiresAt = new Date(Date.now() + this.env.EMAIL_VERIFICATION_TTL_SECONDS * 1000);
    const codeHash = hashOf(user.id, code).toString('hex');
    await tx.emailVerification.upsert({ where: { userId: user.id }, create: { userId: user.id, codeHash, expiresAt }, update: { codeHash, expiresAt, createdAt: new Date() } });
    await this.outbox.append(tx as unknown as SqlExecutor, userEmailVerificationRequestedV1, { userId: user.id, email: user.email, code, expiresAt: expiresAt.toISOString() });
    return expiresAt;
  }

  /** Checks the code (each guess counted first); true when it verified the address now, false when it already was. */
  async verify(userId: string, code: string): Promise<boolean> {
    const user = await this.prisma.user.findUniqueOrThrow({ where: { id: userId } });
    if (user.emailVerifiedAt) return false;
    await this.throttles.verificationAttempts.hit(userId);
    const pending = await this.prisma.emailVerification.findUnique({ where: { userId } });
    if (!pending || pending.expiresAt <= new Date() || !timingSafeEqual(Buffer.from(pending.codeHash, 'hex'), hashOf(userId, code))) throw invalidCode();
    await this.prisma.$transaction(async (tx) => {
      await tx.user.update({ where: { id: userId }, data: { emailVerifiedAt: new Date() } });
      await tx.emailVerification.delete({ where: { userId } });
    });
    await this.throttles.verificationAttempts.reset(userId);
    return true;
  }

  async resend(userId: string): Promise<Date> {
    const user = await this.prisma.user.findUniqueOrThrow({ where: { id: userId } });
    if (user.emailVerifiedAt) throw new ProblemException(409, 'email-already-verified', 'This e-mail address is already verified.');
    await this.throttles.verificationResends.hit(userId);
    return this.prisma.$transaction((tx) => this.issue(tx, user));
  }
}
