import { type CanActivate, type ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { type InvalidParam, invalidRequest } from './problem';
import { ROUTE_ACCESS, type RouteAccessPolicy } from './route-access';
import { ROUTE_CONTRACT, type RouteContract, successStatusOf } from './route-contract';
import { nulFaults } from './nul-faults';
import { RESPONSE_SCHEMA } from './response-shaping';
import { zodIssuesToParams } from './to-problem';

/**
 * Applies each route's contract before its handler: who may call it ({@link RouteAccessPolicy}, when the application
 * provides one), then params, query, headers and body against their schemas (all faults reported together; a NUL character
 * anywhere is a fault on every route, see {@link nulFaults}), handing the parsed values to the handler. The answer is
 * shaped by the response schema on its way out ({@link shapeResponses}), so nothing the contract does not declare
 * leaves the server. Routes without a contract (docs, health) pass.
 *
 * A guard rather than an interceptor: Nest runs interceptors through RxJS and async-context bindings on every request,
 * which cost bitro-api more CPU than the routes' own work (ADR 0027).
 */
@Injectable()
export class RouteContractGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Optional() @Inject(ROUTE_ACCESS) private readonly access?: RouteAccessPolicy,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const contract = this.reflector.get<RouteContract | undefined>(ROUTE_CONTRACT, context.getHandler());
    if (!contract) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest & { [RESPONSE_SCHEMA]?: z.ZodType }>();
    if (this.access) await this.access.admit(request, contract);
    validateInput(request, contract);
    request[RESPONSE_SCHEMA] = contract.responses[successStatusOf(contract)]?.schema;
    return true;
  }
}

/** The declared headers' values, by their declared names (Fastify keys headers in lower case). */
function headersOf(request: FastifyRequest, schema: z.ZodObject): Record<string, unknown> {
  return Object.fromEntries(Object.keys(schema.shape).map((name) => [name, request.headers[name.toLowerCase()]]));
}

function validateInput(request: FastifyRequest, contract: RouteContract): void {
  if (!contract.params && !contract.query && !contract.body && !contract.headers) return;
  const errors: InvalidParam[] = [];
  const parse = (schema: z.ZodType | undefined, value: unknown, location: InvalidParam['in']) => {
    if (!schema) return value;
    const nul = nulFaults(value, location);
    if (nul.length > 0) {
      errors.push(...nul);
      return value;
    }
    const result = schema.safeParse(value ?? (location === 'body' ? undefined : {}));
    if (result.success) return result.data;
    errors.push(...zodIssuesToParams(result.error, location));
    return value;
  };
  const params = parse(contract.params, request.params, 'path');
  const query = parse(contract.query, request.query, 'query');
  if (contract.headers) parse(contract.headers, headersOf(request, contract.headers), 'header');
  // A multipart body is streamed and checked by its handler (route-contract.ts, `bodyType`).
  const body = contract.bodyType === 'multipart/form-data' ? request.body : parse(contract.body, request.body, 'body');
  if (errors.length > 0) throw invalidRequest(errors);
  Object.assign(request, { params, query, body });
}
