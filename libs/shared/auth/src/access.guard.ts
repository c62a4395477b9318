import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ProblemException, ROUTE_CONTRACT, type RouteContract } from '@bitro/http';
import type { FastifyRequest } from 'fastify';
import { type AccessClaims, AccessTokens, InvalidAccessTokenError } from './access-token';

export type AuthenticatedRequest = FastifyRequest & { principal?: AccessClaims };

/**
 * Applies each route contract's `access`: public routes pass, the rest need a valid bearer
 * access token, admin routes an admin's. Routes without a contract (docs, health) are public.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(AccessTokens) private readonly tokens: AccessTokens,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const contract = this.reflector.get<RouteContract | undefined>(ROUTE_CONTRACT, context.getHandler());
    if (!contract || contract.access === 'public') return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    const challenge = { headers: { 'www-authenticate': 'Bearer realm="bitro"' } };
    if (!match?.[1]) throw new ProblemException(401, 'unauthenticated', 'Send an access token: `Authorization: Bearer <token>`.', challenge);
    try {
      request.principal = this.tokens.verify(match[1]);
    } catch (error) {
      if (error instanceof InvalidAccessTokenError) {
        throw new ProblemException(401, 'invalid-token', `The ${error.message}.`, { headers: { 'www-authenticate': 'Bearer realm="bitro", error="invalid_token"' } });
      }
      throw error;
    }
    if (contract.access === 'admin' && request.principal.role !== 'admin') {
      throw new ProblemException(403, 'forbidden', 'This route is for admins only.');
    }
    return true;
  }
}
