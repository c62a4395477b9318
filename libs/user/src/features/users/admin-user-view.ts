import type { User } from '../../persistence/user-prisma';
import type { AdminUserView } from './users.contracts';

export const toAdminUserView = (user: User): AdminUserView => ({
  id: user.id,
  email: user.email,
  role: user.role,
  status: user.status,
  createdAt: user.createdAt.toISOString(),
  ...(user.frozenAt ? { frozenAt: user.frozenAt.toISOString() } : {}),
  ...(user.frozenReason !== null ? { frozenReason: user.frozenReason } : {}),
});
