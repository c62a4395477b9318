import { applyDecorators, HttpCode, RequestMapping, RequestMethod, SetMetadata } from '@nestjs/common';
import type { z } from 'zod';

export const ROUTE_CONTRACT = 'bitro:route-contract';

/** Who may call a route: anyone, any signed-in user, or admins only. */
export type RouteAccess = 'public' | 'user' | 'admin';

export interface ResponseContract {
  description: string;
  schema?: z.ZodType;
}

/**
 * Everything about one HTTP route in one place: the path, who may call it, the zod schemas that
 * validate its input and shape its output, and the documentation generated from them.
 */
export interface RouteContract {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  summary: string;
  tag: string;
  access: RouteAccess;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The success answers; the lowest status is the one sent. */
  responses: Record<number, ResponseContract>;
  /** Error statuses worth documenting besides the generic ones (400, 401, 403, 500). */
  problems?: Record<number, string>;
}

export function defineRoute<const C extends RouteContract>(contract: C): C {
  return contract;
}

export const successStatusOf = (contract: RouteContract): number =>
  Math.min(...Object.keys(contract.responses).map(Number));

/** Binds a controller method to its contract: routing, status code, validation and OpenAPI. */
export function Route(contract: RouteContract): MethodDecorator {
  return applyDecorators(
    RequestMapping({ path: contract.path, method: RequestMethod[contract.method] }),
    HttpCode(successStatusOf(contract)),
    SetMetadata(ROUTE_CONTRACT, contract),
  );
}

export type BodyOf<C extends RouteContract> = C['body'] extends z.ZodType ? z.output<C['body']> : never;
export type QueryOf<C extends RouteContract> = C['query'] extends z.ZodObject ? z.output<C['query']> : never;
export type ParamsOf<C extends RouteContract> = C['params'] extends z.ZodObject ? z.output<C['params']> : never;
