import { Injectable } from '@nestjs/common';
import { type CreateAdminInput, createAdminInputSchema, type UserProvisioningApi, type UserView } from '@bitro/service-api';
import { PasswordHasher } from '../auth/password-hasher';
import { UserPrisma } from '../persistence/user-prisma';
import { normalizeEmail, toUserView } from '../user-view';

@Injectable()
export class UserProvisioningService implements UserProvisioningApi {
  constructor(
    private readonly prisma: UserPrisma,
    private readonly hasher: PasswordHasher,
  ) {}

  async createAdmin(input: CreateAdminInput): Promise<{ user: UserView; created: boolean }> {
    const { email, password, displayName } = createAdminInputSchema.parse(input);
    const normalized = normalizeEmail(email);
    const existing = await this.prisma.user.findUnique({ where: { email: normalized } });
    if (existing) {
      const user = await this.prisma.user.update({ where: { id: existing.id }, data: { role: 'admin' } });
      return { user: toUserView(user), created: false };
    }
    const user = await this.prisma.user.create({
      data: { email: normalized, passwordHash: await this.hasher.hash(password), displayName, role: 'admin' },
    });
    return { user: toUserView(user), created: true };
  }
}
