import { EmailNotVerifiedError, SecondFactorError, type UserApi, UserNotActiveError } from '../user/user.api';
import type { UserView } from '../user/user.contracts';

/**
 * USER_API for the tests of other domains, which cannot start the user domain: every id is an active user unless
 * the test freezes it or makes it missing.
 */
export class TestUsers implements UserApi {
  readonly frozen = new Set<string>();
  readonly missing = new Set<string>();
  readonly unverified = new Set<string>();
  /** Users with a second factor, and the one code each accepts. */
  readonly secondFactor = new Map<string, string>();

  async findUser(userId: string): Promise<UserView | null> {
    if (this.missing.has(userId)) return null;
    return { id: userId, email: `${userId}@example.com`, displayName: 'Test', role: 'user', status: this.frozen.has(userId) ? 'frozen' : 'active', emailVerified: !this.unverified.has(userId), twoFactorEnabled: this.secondFactor.has(userId), createdAt: new Date(0).toISOString() };
  }

  async assertActive(userId: string): Promise<UserView> {
    const user = await this.findUser(userId);
    if (!user) throw new UserNotActiveError(userId, 'not-found');
    if (user.status !== 'active') throw new UserNotActiveError(userId, 'frozen');
    return user;
  }

  async assertVerified(userId: string): Promise<UserView> {
    const user = await this.assertActive(userId);
    if (!user.emailVerified) throw new EmailNotVerifiedError(userId);
    return user;
  }

  async verifySecondFactor(userId: string, code: string | undefined): Promise<void> {
    const expected = this.secondFactor.get(userId);
    if (expected === undefined) return;
    if (code === undefined) throw new SecondFactorError('required');
    if (code !== expected) throw new SecondFactorError('invalid');
  }
}
