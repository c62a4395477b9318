import type { Client } from 'openapi-fetch';
import type { ClientPaths } from './client-paths';

export interface Tokens {
  accessToken: string;
  /** Absent for an access token that cannot be refreshed (e.g. one minted for a tool). */
  refreshToken?: string;
}

/**
 * The signed-in user's tokens. Refresh tokens are single use (reusing one revokes the whole session), so concurrent
 * 401s share one refresh, and a request that failed with an older access token is only re-sent with the newer one.
 */
export class Session {
  private tokens: Tokens | undefined;
  private refreshing: Promise<boolean> | undefined;

  constructor(
    private readonly raw: Client<ClientPaths>,
    tokens?: Tokens,
  ) {
    this.tokens = tokens;
  }

  get accessToken(): string | undefined {
    return this.tokens?.accessToken;
  }

  get refreshToken(): string | undefined {
    return this.tokens?.refreshToken;
  }

  set(tokens: Tokens | undefined): void {
    this.tokens = tokens;
  }

  /**
   * After a 401 to a request sent with `usedToken`: whether a newer access token is now at hand (refreshing once via
   * `POST /v1/auth/refresh` when `usedToken` is still the current one).
   */
  async renewAfter(usedToken: string): Promise<boolean> {
    if (this.tokens && this.tokens.accessToken !== usedToken) return true;
    this.refreshing ??= this.refresh().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async refresh(): Promise<boolean> {
    const refreshToken = this.tokens?.refreshToken;
    if (!refreshToken) return false;
    const { data } = await this.raw.POST('/v1/auth/refresh', { body: { refreshToken } });
    // A refused refresh (expired, revoked, reused) ends the session: the caller signs in again.
    this.tokens = data ? { accessToken: data.accessToken, refreshToken: data.refreshToken } : undefined;
    return data !== undefined;
  }
}
