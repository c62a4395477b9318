import type { UserView } from '@bitro/service-api';
import type { User } from './user-prisma';

export const toUserView = (user: User): UserView => ({
  id: user.id,
  email: user.email,
  displayName: user.displayName,
  role: user.role,
  status: user.status,
  emailVerified: user.emailVerifiedAt !== null,
  twoFactorEnabled: user.totpEnabledAt !== null,
  createdAt: user.createdAt.toISOString(),
});

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();
