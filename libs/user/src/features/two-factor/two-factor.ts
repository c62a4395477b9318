import { Inject, Injectable } from '@nestjs/common';
import { ProblemException } from '@bitro/http';
import { AUDIT_API, type AuditApi, SecondFactorError } from '@bitro/service-api';
import { type User, type UserDb, UserPrisma } from '../../persistence/user-prisma';
import { hashRecoveryCode, newRecoveryCodes } from './recovery-codes';
import { isTotpCode, newTotpSecret, totpStepOf, totpUri } from './totp';

export interface Enrolment {
  secret: string;
  otpauthUri: string;
}

const notEnrolled = () => new ProblemException(409, 'two-factor-not-enabled', 'This account has no second factor.');

/**
 * TOTP second factor (RFC 6238, 30 s steps, 6 digits) and one-time recovery codes. A code is accepted once: the
 * last accepted time step is stored and only a later one passes, by one conditional UPDATE (atomic under concurrency).
 * Enrolment and removal are written to the audit trail in their own transaction.
 */
@Injectable()
export class TwoFactor {
  constructor(
    private readonly prisma: UserPrisma,
    @Inject(AUDIT_API) private readonly audit: AuditApi,
  ) {}

  /** Starts (or restarts) an enrolment: a new secret, in force only once {@link confirm}ed with a first code. */
  async begin(userId: string): Promise<Enrolment> {
    const user = await this.prisma.user.findUniqueOrThrow({ where: { id: userId } });
    if (user.totpEnabledAt) throw new ProblemException(409, 'two-factor-already-enabled', 'Two-factor authentication is already on; remove it first to enrol another device.');
    const secret = newTotpSecret();
    await this.prisma.user.update({ where: { id: userId }, data: { totpSecret: secret, totpLastStep: null } });
    return { secret, otpauthUri: totpUri(secret, user.email) };
  }

  /** Confirms the enrolment with the first code; returns the recovery codes (shown once). */
  async confirm(userId: string, code: string): Promise<string[]> {
    const user = await this.prisma.user.findUniqueOrThrow({ where: { id: userId } });
    if (user.totpEnabledAt) throw new ProblemException(409, 'two-factor-already-enabled', 'Two-factor authentication is already on.');
    if (!user.totpSecret) throw new ProblemException(409, 'two-factor-not-started', 'Start the enrolment first (POST /v1/me/two-factor).');
    if (!(await this.acceptTotp(this.prisma, user, code))) throw new SecondFactorError('invalid');
    const codes = newRecoveryCodes();
    await this.prisma.$transaction(async (tx) => {
      await tx.user.update({ where: { id: userId }, data: { totpEnabledAt: new Date() } });
      await this.replaceRecoveryCodes(tx, userId, codes);
      await this.audit.record(tx, { action: 'user.two-factor-enrol', actorId: userId, subject: `user:${userId}` });
    });
    return codes;
  }

  /** Turns the second factor off; needs a current code or a recovery code. */
  async remove(userId: string, code: string): Promise<void> {
    const user = await this.prisma.user.findUniqueOrThrow({ where: { id: userId } });
    if (!user.totpEnabledAt) throw notEnrolled();
    await this.check(user, code);
    await this.prisma.$transaction(async (tx) => {
      await tx.user.update({ where: { id: userId }, data: { totpSecret: null, totpEnabledAt: null, totpLastStep: null } });
      await tx.recoveryCode.deleteMany({ where: { userId } });
      await this.audit.record(tx, { action: 'user.two-factor-remove', actorId: userId, subject: `user:${userId}` });
    });
  }

  /**
   * Passes users without a second factor; for the others `code` must be a fresh TOTP code or an unused recovery
   * code (then used up). Throws {@link SecondFactorError}.
   */
  async check(user: User, code: string | undefined): Promise<void> {
    if (!user.totpEnabledAt || !user.totpSecret) return;
    if (code === undefined || code === '') throw new SecondFactorError('required');
    const accepted = isTotpCode(code) ? await this.acceptTotp(this.prisma, user, code) : await this.useRecoveryCode(user.id, code);
    if (!accepted) throw new SecondFactorError('invalid');
  }

  /** Enables a second factor at once (admin:create, where the operator receives the URI). */
  async enableNow(db: UserDb, user: Pick<User, 'id' | 'email'>): Promise<Enrolment> {
    const secret = newTotpSecret();
    await db.user.update({ where: { id: user.id }, data: { totpSecret: secret, totpEnabledAt: new Date(), totpLastStep: null } });
    return { secret, otpauthUri: totpUri(secret, user.email) };
  }

  private async acceptTotp(db: UserDb, user: User, code: string): Promise<boolean> {
    if (!user.totpSecret || !isTotpCode(code)) return false;
    const step = totpStepOf(user.totpSecret, user.email, code);
    if (step === null) return false;
    const taken = await db.user.updateMany({
      where: { id: user.id, OR: [{ totpLastStep: null }, { totpLastStep: { lt: BigInt(step) } }] },
      data: { totpLastStep: BigInt(step) },
    });
    return taken.count === 1;
  }

  private async useRecoveryCode(userId: string, code: string): Promise<boolean> {
    const used = await this.prisma.recoveryCode.updateMany({ where: { userId, codeHash: hashRecoveryCode(code), usedAt: null }, data: { usedAt: new Date() } });
    return used.count === 1;
  }

  private async replaceRecoveryCodes(db: UserDb, userId: string, codes: string[]): Promise<void> {
    await db.recoveryCode.deleteMany({ where: { userId } });
    await db.recoveryCode.createMany({ data: codes.map((code) => ({ userId, codeHash: hashRecoveryCode(code) })) });
  }
}
