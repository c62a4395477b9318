/**
 * Whether the holder of an admin access token is still an active admin now: a token outlives a freeze (or a lost
 * role) until it expires, and admin routes move money. The application provides it (from the user domain); the
 * access guard asks it on every admin route and throws the problem it returns.
 */
export interface AdminStanding {
  /** Null when `userId` is an active admin; otherwise why not (`frozen`, `not-admin`, `not-found`). */
  refusal(userId: string): Promise<'frozen' | 'not-admin' | 'not-found' | null>;
}

export const ADMIN_STANDING = Symbol.for('bitro.AdminStanding');
