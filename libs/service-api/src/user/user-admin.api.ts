import type { AdminUserPage, AdminUserView, SearchUsersInput, UserStatusChange, UserStatusChangeInput } from './user-admin.contracts';

/**
 * The user domain's admin functions; inject with {@link USER_ADMIN_API}. The caller checks the admin role; freezing
 * and unfreezing are written to the audit trail in the same transaction as the change.
 */
export interface UserAdminApi {
  /** Newest first; `q` is an exact user id or a case-insensitive part of the e-mail address. */
  search(input: SearchUsersInput): Promise<AdminUserPage>;
  /** The user, or `null` when no user has this id. */
  get(userId: string): Promise<AdminUserView | null>;
  /**
   * Freezes the user: redeeming and withdrawing are refused from then on (signing in and reading are not). Throws
   * {@link AdminUserNotFoundError} and {@link CannotFreezeSelfError}.
   */
  freeze(input: UserStatusChangeInput): Promise<UserStatusChange>;
  /** Makes a frozen user active again. Throws {@link AdminUserNotFoundError}. */
  unfreeze(input: UserStatusChangeInput): Promise<UserStatusChange>;
}

export const USER_ADMIN_API = Symbol.for('bitro.UserAdminApi');

export class AdminUserNotFoundError extends Error {
  override name = 'AdminUserNotFoundError';

  constructor(readonly userId: string) {
    super(`No user has the id ${userId}`);
  }
}

/** An admin tried to freeze their own account. */
export class CannotFreezeSelfError extends Error {
  override name = 'CannotFreezeSelfError';

  constructor(readonly userId: string) {
    super('An admin may not freeze their own account');
  }
}
