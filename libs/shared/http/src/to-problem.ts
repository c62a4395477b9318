import { HttpException } from '@nestjs/common';
import type { ZodError } from 'zod';
import { unavailableDependency } from './dependency-outage';
import { type InvalidParam, type Problem, ProblemException, problemType, titleOf } from './problem';

export interface ProblemResponse {
  problem: Problem;
  headers: Record<string, string>;
}

/**
 * Codes of the HTTP exceptions the platform raises before a handler runs. Nest hands Fastify's own
 * errors (bad JSON, media type, body size) to the exception filter as HttpExceptions with their status.
 */
const PLATFORM_CODES: Record<number, string> = {
  400: 'malformed-request',
  404: 'not-found',
  405: 'method-not-allowed',
  413: 'body-too-large',
  415: 'unsupported-media-type',
};

/**
 * The 4xx status of an error that says its message is fit for the client (`expose`, the http-errors convention of
 * @fastify/send and other HTTP middleware, e.g. 403 for a directory, 416 for an unsatisfiable range), or null.
 */
function exposedClientStatus(error: unknown): number | null {
  if (!(error instanceof Error) || (error as { expose?: unknown }).expose !== true) return null;
  const status = (error as { statusCode?: unknown; status?: unknown }).statusCode ?? (error as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : null;
}

const pointerOf = (path: readonly PropertyKey[]): string => path.map((part) => `/${String(part)}`).join('');

export function zodIssuesToParams(error: ZodError, location: InvalidParam['in']): InvalidParam[] {
  return error.issues.flatMap((issue) =>
    // One entry per unknown field, so a client sees which field to drop.
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ in: location, pointer: pointerOf([...issue.path, key]), message: 'is not a known field' }))
      : [{ in: location, pointer: pointerOf(issue.path), message: issue.message }],
  );
}

/**
 * The one mapping from anything thrown while serving a request to a problem document. Request
 * validation throws a {@link ProblemException}; an unreachable PostgreSQL or Redis answers 503 with Retry-After; any
 * other error (a ZodError included: it means the server broke its own contract) is unexpected and answers a bare 500.
 */
export function toProblem(error: unknown, instance: string, requestId: string): ProblemResponse & { unexpected: boolean } {
  const base = { instance, requestId };
  if (error instanceof ProblemException) {
    return {
      problem: { type: problemType(error.code), title: titleOf(error.status), status: error.status, detail: error.message, ...base, ...(error.extra.errors ? { errors: error.extra.errors } : {}) },
      headers: error.extra.headers ?? {},
      unexpected: false,
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status < 500) {
      const detail = status === 404 ? `No route ${instance}.` : error.message;
      return { problem: { type: problemType(PLATFORM_CODES[status] ?? `http-${status}`), title: titleOf(status), status, detail, ...base }, headers: {}, unexpected: false };
    }
  }
  const exposed = exposedClientStatus(error);
  if (exposed) {
    const detail = exposed === 404 ? `Nothing at ${instance}.` : (error as Error).message;
    return { problem: { type: problemType(PLATFORM_CODES[exposed] ?? `http-${exposed}`), title: titleOf(exposed), status: exposed, detail, ...base }, headers: {}, unexpected: false };
  }
  const dependency = unavailableDependency(error);
  if (dependency) {
    const detail = `${dependency === 'postgres' ? 'The database' : 'Redis'} cannot be reached right now; nothing was lost. Retry shortly.`;
    return { problem: { type: problemType('dependency-unavailable'), title: titleOf(503), status: 503, detail, ...base }, headers: { 'retry-after': '5' }, unexpected: false };
  }
  return {
    problem: { type: problemType('internal'), title: titleOf(500), status: 500, detail: 'An unexpected error occurred. Quote the request id when reporting it.', ...base },
    headers: {},
    unexpected: true,
  };
}
