/**
 * Whether the holder of an admin access token is still an active admin now: a token outlives a freeze (or a lost
 * role) until it expires, and admin routes move money. The application provides it (from the user domain); the
 * access policy asks it on every admin route and throws the problem it returns.
 */
export interface AdminStanding {
  /**
   * Null when `userId` is an active admin with a second factor; otherwise why not (`frozen`, `not-admin`, `not-found`,
   * or `two-factor-required` while the admin has not enrolled TOTP).
   */
  refusal(userId: string): Promise<'frozen' | 'not-admin' | 'not-found' | 'two-factor-required' | null>;
}

export const ADMIN_STANDING = Symbol.for('bitro.AdminStanding');
