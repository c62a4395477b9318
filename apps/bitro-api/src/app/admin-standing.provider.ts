import type { Provider } from '@nestjs/common';
import { ADMIN_STANDING, type AdminStanding } from '@bitro/auth';
import { USER_API, type UserApi } from '@bitro/service-api';

/** Admin routes ask the user domain, on every request, whether the token's admin is still an active admin with a second factor. */
export const adminStandingProvider: Provider = {
  provide: ADMIN_STANDING,
  inject: [USER_API],
  useFactory: (users: UserApi): AdminStanding => ({
    async refusal(userId) {
      const user = await users.findUser(userId);
      if (!user) return 'not-found';
      if (user.status !== 'active') return 'frozen';
      if (user.role !== 'admin') return 'not-admin';
      return user.twoFactorEnabled ? null : 'two-factor-required';
    },
  }),
};
