import { Inject, Injectable, Optional } from '@nestjs/common';
import { ProblemException, type RouteAccessPolicy, type RouteContract } from '@bitro/http';
import type { FastifyRequest } from 'fastify';
import { type AccessClaims, AccessTokens, InvalidAccessTokenError } from './access-token';
import { ADMIN_STANDING, type AdminStanding } from './admin-standing';
import { SessionRevocations } from './session-revocations';

export type AuthenticatedRequest = FastifyRequest & { principal?: AccessClaims };

/**
 * Applies each route contract's `access` (for the route contract guard of `@bitro/http`): public routes pass, the rest
 * need a valid bearer access token whose session has not ended ({@link SessionRevocations}), admin routes an admin's
 * who is still an active admin ({@link AdminStanding}, when the application provides it).
 */
@Injectable()
export class AccessPolicy implements RouteAccessPolicy {
  constructor(
    @Inject(AccessTokens) private readonly tokens: AccessTokens,
    private readonly revocations: SessionRevocations,
    @Optional() @Inject(ADMIN_STANDING) private readonly adminStanding?: AdminStanding,
  ) {}

  async admit(request: AuthenticatedRequest, contract: RouteContract): Promise<void> {
    if (contract.access === 'public') return;
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    const challenge = { headers: { 'www-authenticate': 'Bearer realm="bitro"' } };
    if (!match?.[1]) throw new ProblemException(401, 'unauthenticated', 'Send an access token: `Authorization: Bearer <token>`.', challenge);
    const invalid = (detail: string) => new ProblemException(401, 'invalid-token', detail, { headers: { 'www-authenticate': 'Bearer realm="bitro", error="invalid_token"' } });
    try {
      request.principal = this.tokens.verify(match[1]);
    } catch (error) {
      if (error instanceof InvalidAccessTokenError) throw invalid(`The ${error.message}.`);
      throw error;
    }
    if (await this.revocations.isRevoked(request.principal.sid)) throw invalid('The session of this access token has ended; sign in again.');
    if (contract.access === 'admin') await assertAdmin(request.principal, this.adminStanding);
  }
}

/** An admin route's caller: an admin by the token, and still an active admin by {@link AdminStanding} when there is one. */
export async function assertAdmin(principal: AccessClaims, standing: AdminStanding | undefined): Promise<void> {
  if (principal.role !== 'admin') throw new ProblemException(403, 'forbidden', 'This route is for admins only.');
  const refusal = await standing?.refusal(principal.sub);
  if (refusal === 'frozen') throw new ProblemException(403, 'account-not-active', 'This admin account is frozen.');
  if (refusal === 'two-factor-required') {
    throw new ProblemException(403, 'two-factor-required', 'Admins must enrol a TOTP second factor (POST /v1/me/two-factor) before using admin routes.');
  }
  if (refusal) throw new ProblemException(403, 'forbidden', 'This route is for admins only, and this account is no longer one.');
}
