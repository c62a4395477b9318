import { z } from 'zod';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const invalidParamSchema = z.object({
  in: z.enum(['body', 'query', 'path', 'header']),
  /** JSON-pointer-like path of the field at fault, e.g. `/password` or `/items/0/amount`. */
  pointer: z.string(),
  message: z.string(),
});
export type InvalidParam = z.infer<typeof invalidParamSchema>;

/** RFC 9457 problem details, with Bitro's extension members. */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  requestId: z.string().optional(),
  errors: z.array(invalidParamSchema).optional(),
});
export type Problem = z.infer<typeof problemSchema>;

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export const titleOf = (status: number): string => TITLES[status] ?? 'Error';

/**
 * An error that answers with a problem document. `code` becomes the problem `type`
 * (`https://bitro.dev/problems/<code>`), so clients can branch on it.
 */
export class ProblemException extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    readonly extra: { errors?: InvalidParam[]; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.name = 'ProblemException';
  }
}

export const problemType = (code: string): string => `https://bitro.dev/problems/${code}`;

/** 400 `validation`: the request is malformed; `errors` names every field at fault. */
export const invalidRequest = (errors: InvalidParam[]): ProblemException =>
  new ProblemException(400, 'validation', 'The request is invalid; see `errors` for each field at fault.', { errors });
