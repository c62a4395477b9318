import { Inject, Injectable } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import { EmailNotVerifiedError, type UserApi, UserNotActiveError, type UserView } from '@bitro/service-api';
import { UserPrisma } from '../persistence/user-prisma';
import { TwoFactor } from '../features/two-factor/two-factor';
import { UserViews } from '../persistence/user-view';

/** The user domain's implementation of {@link UserApi}, provided under `USER_API`. */
@Injectable()
export class UserApiService implements UserApi {
  constructor(
    private readonly prisma: UserPrisma,
    private readonly views: UserViews,
    private readonly twoFactor: TwoFactor,
    @Inject(BITRO_ENV) private readonly env: BitroEnv,
  ) {}

  /** Null for an id that is no user's (or no uuid at all); a database that cannot answer is an error, never "no user". */
  async findUser(userId: string): Promise<UserView | null> {
    return this.views.find(userId);
  }

  async assertActive(userId: string): Promise<UserView> {
    const user = await this.findUser(userId);
    if (!user) throw new UserNotActiveError(userId, 'not-found');
    if (user.status !== 'active') throw new UserNotActiveError(userId, 'frozen');
    return user;
  }

  async assertVerified(userId: string): Promise<UserView> {
    const user = await this.assertActive(userId);
    if (this.env.EMAIL_VERIFICATION_REQUIRED && !user.emailVerified) throw new EmailNotVerifiedError(userId);
    return user;
  }

  async verifySecondFactor(userId: string, code: string | undefined): Promise<void> {
    const user = await this.prisma.user.findUnique({ where: { id: userId } });
    if (!user) throw new UserNotActiveError(userId, 'not-found');
    await this.twoFactor.check(user, code);
  }
}
