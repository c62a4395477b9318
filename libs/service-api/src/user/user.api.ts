import type { CreateAdminInput, UserView } from './user.contracts';

/** The user domain as other domains see it; inject it with {@link USER_API}. */
export interface UserApi {
  /** The user, or `null` when no user has this id. */
  findUser(userId: string): Promise<UserView | null>;
  /** The user when it exists and is active; otherwise throws {@link UserNotActiveError}. */
  assertActive(userId: string): Promise<UserView>;
}

/** Provisioning of privileged accounts; used by operator tooling only, never by signup. */
export interface UserProvisioningApi {
  /** Creates an admin, or promotes the existing user with this e-mail to admin (password unchanged). */
  createAdmin(input: CreateAdminInput): Promise<{ user: UserView; created: boolean }>;
}

export const USER_API = Symbol.for('bitro.UserApi');
export const USER_PROVISIONING_API = Symbol.for('bitro.UserProvisioningApi');

export class UserNotActiveError extends Error {
  constructor(
    readonly userId: string,
    readonly reason: 'not-found' | 'frozen',
  ) {
    super(`User ${userId} is not active (${reason})`);
    this.name = 'UserNotActiveError';
  }
}
