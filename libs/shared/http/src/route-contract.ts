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
 * A problem a route answers besides the generic ones (see `openapi.ts`): the problem `type` codes a client can
 * branch on (`https://bitro.dev/problems/<code>`), and when they happen.
 */
export interface ProblemContract {
  types: readonly [string, ...string[]];
  description: string;
}

/** How the request body is sent: JSON (validated against `body`), or a multipart form the handler reads itself. */
export type BodyMediaType = 'application/json' | 'multipart/form-data';

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
  /** Request headers, by their documented name (`Idempotency-Key`); matched case-insensitively, faults `in: header`. */
  headers?: z.ZodObject;
  /** The body; examples go on the schema (`.meta({ examples: [...] })`). */
  body?: z.ZodType;
  /**
   * `multipart/form-data`: `body` documents the form (a file field is `z.file()`); the handler streams and checks the
   * upload itself, within its size limits, so the guard does not parse it.
   */
  bodyType?: BodyMediaType;
  /** The success answers; the lowest status is the one sent. */
  responses: Record<number, ResponseContract>;
  /** The problems specific to this route (404, 409, 422 ...); the generic ones are derived from the contract. */
  problems?: Record<number, ProblemContract>;
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
export type HeadersOf<C extends RouteContract> = C['headers'] extends z.ZodObject ? z.output<C['headers']> : never;
