import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, type Observable } from 'rxjs';
import type { z } from 'zod';
import { type InvalidParam, invalidRequest } from './problem';
import { ROUTE_CONTRACT, type RouteContract, successStatusOf } from './route-contract';
import { nulFaults } from './nul-faults';
import { zodIssuesToParams } from './to-problem';

/**
 * Validates params, query and body against the route's contract (all faults reported together; a NUL character
 * anywhere is a fault on every route, see {@link nulFaults}),
 * hands the parsed values to the handler, and shapes the answer with the response schema so
 * nothing the contract does not declare leaves the server.
 */
@Injectable()
export class ContractValidationInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const contract = this.reflector.get<RouteContract | undefined>(ROUTE_CONTRACT, context.getHandler());
    if (!contract) return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
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
    const body = parse(contract.body, request.body, 'body');
    if (errors.length > 0) {
      throw invalidRequest(errors);
    }
    Object.assign(request, { params, query, body });

    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const status = successStatusOf(contract);
    const schema = contract.responses[status]?.schema;
    return next.handle().pipe(
      map((result) => {
        if (schema) return schema.parse(result);
        if (status === 204) reply.removeHeader('content-type');
        return result;
      }),
    );
  }
}
