import { HttpException } from '@nestjs/common';
import { ZodError } from 'zod';
import { type InvalidParam, type Problem, ProblemException, problemType, titleOf } from './problem';

export interface ProblemResponse {
  problem: Problem;
  headers: Record<string, string>;
}

/** Fastify's own errors (body parsing, limits, media types), mapped by their error code. */
const FASTIFY_ERRORS: Record<string, { status: number; code: string; detail?: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported-media-type', detail: 'Send the body as application/json.' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'body-too-large' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'malformed-request' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'malformed-json', detail: 'The body is empty but Content-Type is application/json.' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'malformed-json' },
};

const pointerOf = (path: readonly PropertyKey[]): string => path.map((part) => `/${String(part)}`).join('');

export function zodIssuesToParams(error: ZodError, location: InvalidParam['in']): InvalidParam[] {
  return error.issues.flatMap((issue) =>
    // One entry per unknown field, so a client sees which field to drop.
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ in: location, pointer: pointerOf([...issue.path, key]), message: 'is not a known field' }))
      : [{ in: location, pointer: pointerOf(issue.path), message: issue.message }],
  );
}

/** The one mapping from anything thrown while serving a request to a problem document. */
export function toProblem(error: unknown, instance: string, requestId: string): ProblemResponse & { unexpected: boolean } {
  const base = { instance, requestId };
  if (error instanceof ProblemException) {
    return {
      problem: { type: problemType(error.code), title: titleOf(error.status), status: error.status, detail: error.message, ...base, ...(error.extra.errors ? { errors: error.extra.errors } : {}) },
      headers: error.extra.headers ?? {},
      unexpected: false,
    };
  }
  if (error instanceof ZodError) {
    return {
      problem: { type: problemType('validation'), title: titleOf(400), status: 400, detail: 'The request is invalid.', ...base, errors: zodIssuesToParams(error, 'body') },
      headers: {},
      unexpected: false,
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code = status === 404 ? 'not-found' : status === 405 ? 'method-not-allowed' : `http-${status}`;
    const detail = status === 404 ? 'No such resource.' : titleOf(status);
    return { problem: { type: problemType(code), title: titleOf(status), status, detail, ...base }, headers: {}, unexpected: status >= 500 };
  }
  const fastifyCode = (error as { code?: unknown })?.code;
  if (typeof fastifyCode === 'string' && FASTIFY_ERRORS[fastifyCode]) {
    const known = FASTIFY_ERRORS[fastifyCode];
    return {
      problem: { type: problemType(known.code), title: titleOf(known.status), status: known.status, detail: known.detail ?? (error as Error).message, ...base },
      headers: {},
      unexpected: false,
    };
  }
  const statusCode = (error as { statusCode?: unknown })?.statusCode;
  if (typeof fastifyCode === 'string' && fastifyCode.startsWith('FST_') && typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return {
      problem: { type: problemType('malformed-request'), title: titleOf(statusCode), status: statusCode, detail: (error as Error).message, ...base },
      headers: {},
      unexpected: false,
    };
  }
  return {
    problem: { type: problemType('internal'), title: titleOf(500), status: 500, detail: 'An unexpected error occurred. Quote the request id when reporting it.', ...base },
    headers: {},
    unexpected: true,
  };
}
