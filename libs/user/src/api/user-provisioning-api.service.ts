import { Injectable } from '@nestjs/common';
import { AdminPromotionRefusedError, type CreateAdminInput, createAdminInputSchema, type CreateAdminResult, type UserProvisioningApi } from '@bitro/service-api';
import { PasswordHasher } from '../features/auth/password-hasher';
import { UserPrisma } from '../persistence/user-prisma';
import { Sessions } from '../features/sessions/sessions';
import { TwoFactor } from '../features/two-factor/two-factor';
import { normalizeEmail, toUserView } from '../persistence/user-view';

/**
 * admin:create. A new admin's e-mail counts as verified (the operator names it) and its second factor is on at once
 * (the operator receives the otpauth:// URI). An existing account is promoted only when asked to and only with a
 * verified e-mail (whoever registered `ops@…` first must not become admin): its password is replaced, every session
 * ended, and a second factor enabled unless it has one.
 */
@Injectable()
export class UserProvisioningApiService implements UserProvisioningApi {
  constructor(
    private readonly prisma: UserPrisma,
    private readonly hasher: PasswordHasher,
    private readonly twoFactor: TwoFactor,
    private readonly sessions: Sessions,
  ) {}

  async createAdmin(input: CreateAdminInput): Promise<CreateAdminResult> {
    const { email, password, displayName, promoteExisting } = createAdminInputSchema.parse(input);
    const normalized = normalizeEmail(email);
    const passwordHash = await this.hasher.hash(password);
    const existing = await this.prisma.user.findUnique({ where: { email: normalized } });
    if (existing) {
      if (!promoteExisting) throw new AdminPromotionRefusedError('exists');
      if (!existing.emailVerifiedAt) throw new AdminPromotionRefusedError('email-not-verified');
      const { user, otpauthUri } = await this.prisma.$transaction(async (tx) => {
        const enrolment = existing.totpEnabledAt ? undefined : await this.twoFactor.enableNow(tx, existing);
        const user = await tx.user.update({ where: { id: existing.id }, data: { role: 'admin', passwordHash } });
        return { user, otpauthUri: enrolment?.otpauthUri };
      });
      await this.sessions.endAll(user.id);
      return { user: toUserView(user), created: false, ...(otpauthUri ? { otpauthUri } : {}) };
    }
    const { user, otpauthUri } = await this.prisma.$transaction(async (tx) => {
      const created = await tx.user.create({ data: { email: normalized, passwordHash, displayName, role: 'admin', emailVerifiedAt: new Date() } });
      const enrolment = await this.twoFactor.enableNow(tx, created);
      return { user: await tx.user.findUniqueOrThrow({ where: { id: created.id } }), otpauthUri: enrolment.otpauthUri };
    });
    return { user: toUserView(user), created: true, otpauthUri };
  }
}
