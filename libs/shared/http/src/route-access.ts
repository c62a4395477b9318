import type { FastifyRequest } from 'fastify';
import type { RouteContract } from './route-contract';

/** Who may call a route, by its contract's `access`: throws the problem that refuses the caller. Provided by `@bitro/auth`. */
export interface RouteAccessPolicy {
  admit(request: FastifyRequest, contract: RouteContract): Promise<void>;
}

export const ROUTE_ACCESS = Symbol.for('bitro.RouteAccess');
