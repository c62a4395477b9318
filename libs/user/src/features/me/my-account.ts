import { Injectable } from '@nestjs/common';
import { ProblemException } from '@bitro/http';
import type { UserView } from '@bitro/service-api';
import type { z } from 'zod';
import { PasswordHasher } from '../auth/password-hasher';
import { type User, UserPrisma } from '../../persistence/user-prisma';
import { Sessions } from '../sessions/sessions';
import { AuthThrottles } from '../throttles/auth-throttles';
import { toUserView, UserViews } from '../../persistence/user-view';
import type { updateMeBodySchema } from './me.contracts';

/** The signed-in user's own account: reading it, changing the display name or the password. */
@Injectable()
export class MyAccount {
  constructor(
    private readonly prisma: UserPrisma,
    private readonly views: UserViews,
    private readonly hasher: PasswordHasher,
    private readonly sessions: Sessions,
    private readonly throttles: AuthThrottles,
  ) {}

  async get(userId: string): Promise<UserView> {
    const user = await this.views.find(userId);
    if (!user) throw notFound();
    return user;
  }

  /** A password change needs the current password: each check is counted first (a stolen access token must not guess it). */
  async update(userId: string, change: z.output<typeof updateMeBodySchema>): Promise<UserView> {
    const user = await this.load(userId);
    let passwordHash: string | undefined;
    if (change.newPassword !== undefined) {
      await this.throttles.passwordChange.hit(userId);
      if (!(await this.hasher.verify(user.passwordHash, change.currentPassword ?? ''))) {
        throw new ProblemException(403, 'wrong-password', 'The current password is wrong.', {
          errors: [{ in: 'body', pointer: '/currentPassword', message: 'does not match' }],
        });
      }
      await this.throttles.passwordChange.reset(userId);
      passwordHash = await this.hasher.hash(change.newPassword);
    }
    const updated = await this.prisma.user.update({
      where: { id: userId },
      data: { displayName: change.displayName, passwordHash },
    });
    if (passwordHash) await this.sessions.endAll(userId);
    return toUserView(updated);
  }

  private async load(userId: string): Promise<User> {
    const user = await this.prisma.user.findUnique({ where: { id: userId } });
    if (!user) throw notFound();
    return user;
  }
}

const notFound = () => new ProblemException(404, 'user-not-found', 'The account no longer exists.');
