import { Injectable } from '@nestjs/common';
import { type UserApi, UserNotActiveError, type UserView } from '@bitro/service-api';
import { UserPrisma } from './persistence/user-prisma';
import { toUserView } from './user-view';

/** The user domain's implementation of {@link UserApi}, provided under `USER_API`. */
@Injectable()
export class UserApiService implements UserApi {
  constructor(private readonly prisma: UserPrisma) {}

  async findUser(userId: string): Promise<UserView | null> {
    const user = await this.prisma.user.findUnique({ where: { id: userId } }).catch(() => null);
    return user ? toUserView(user) : null;
  }

  async assertActive(userId: string): Promise<UserView> {
    const user = await this.findUser(userId);
    if (!user) throw new UserNotActiveError(userId, 'not-found');
    if (user.status !== 'active') throw new UserNotActiveError(userId, 'frozen');
    return user;
  }
}
