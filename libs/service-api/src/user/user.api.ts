import type { CreateAdminInput, CreateAdminResult, UserView } from './user.contracts';

/** The user domain as other domains see it; inject it with {@link USER_API}. */
export interface UserApi {
  /** The user, or `null` when no user has this id. */
  findUser(userId: string): Promise<UserView | null>;
  /** The user when it exists and is active; otherwise throws {@link UserNotActiveError}. */
  assertActive(userId: string): Promise<UserView>;
  /**
   * For moving money: the user exists, is active and, when EMAIL_VERIFICATION_REQUIRED, has verified the e-mail;
   * otherwise throws {@link UserNotActiveError} or {@link EmailNotVerifiedError}.
   */
  assertVerified(userId: string): Promise<UserView>;
  /**
   * When the user has a second factor, `code` must be a fresh TOTP code (each time step is accepted once);
   * otherwise throws {@link SecondFactorError}. Users without one pass.
   */
  verifySecondFactor(userId: string, code: string | undefined): Promise<void>;
}

/** Provisioning of privileged accounts; used by operator tooling only, never by signup. */
export interface UserProvisioningApi {
  /**
   * Creates an admin with a TOTP second factor. An existing account with this e-mail is promoted only with
   * `promoteExisting` and a verified e-mail (its password replaced, every session ended); otherwise throws
   * {@link AdminPromotionRefusedError}.
   */
  createAdmin(input: CreateAdminInput): Promise<CreateAdminResult>;
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

/** The user has not verified the e-mail address yet (and EMAIL_VERIFICATION_REQUIRED is on). */
export class EmailNotVerifiedError extends Error {
  override name = 'EmailNotVerifiedError';

  constructor(readonly userId: string) {
    super(`User ${userId} has not verified the e-mail address`);
  }
}

/** A second-factor code was needed and missing (`required`), or wrong, stale or already used (`invalid`). */
export class SecondFactorError extends Error {
  override name = 'SecondFactorError';

  constructor(readonly reason: 'required' | 'invalid') {
    super(reason === 'required' ? 'A two-factor code is required' : 'The two-factor code is wrong, expired or already used');
  }
}

/** `admin:create` found an account with that e-mail: `exists` without promoteExisting, or its e-mail is unverified. */
export class AdminPromotionRefusedError extends Error {
  override name = 'AdminPromotionRefusedError';

  constructor(readonly reason: 'exists' | 'email-not-verified') {
    super(
      reason === 'exists'
        ? 'An account with this e-mail exists; pass --promote-existing to make it an admin (its password is replaced and its sessions end)'
        : 'An account with this e-mail exists but has not verified it; it cannot be promoted until it does',
    );
  }
}
