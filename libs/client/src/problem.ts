import type { components } from './generated/schema';

/** An RFC 9457 problem as bitro-api answers it (`application/problem+json`). */
export type Problem = components['schemas']['Problem'];
/** One field at fault of an invalid request (`in`: body, query, path or header; `pointer`: JSON pointer). */
export type FieldFault = NonNullable<Problem['errors']>[number];

const PROBLEM_BASE = 'https://bitro.dev/problems/';

/** A refused call: the problem the API answered, or for an answer that is not problem+json, its status and text. */
export class BitroProblemError extends Error implements Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly instance?: string;
  readonly requestId?: string;
  readonly errors: FieldFault[];

  constructor(problem: Problem) {
    super(`${problem.status} ${problem.title}${problem.detail ? `: ${problem.detail}` : ''}`);
    this.name = 'BitroProblemError';
    this.type = problem.type;
    this.title = problem.title;
    this.status = problem.status;
    this.detail = problem.detail;
    this.instance = problem.instance;
    this.requestId = problem.requestId;
    this.errors = problem.errors ?? [];
  }

  /** The problem's short code: `insufficient-funds` of `https://bitro.dev/problems/insufficient-funds`. */
  get code(): string {
    return this.type.startsWith(PROBLEM_BASE) ? this.type.slice(PROBLEM_BASE.length) : this.type;
  }

  /** The error of an answer that is not a success, whatever its body. */
  static of(response: Response, body: unknown): BitroProblemError {
    if (isProblem(body)) return new BitroProblemError(body);
    const detail = typeof body === 'string' ? body : body === undefined ? undefined : JSON.stringify(body);
    return new BitroProblemError({ type: 'about:blank', title: response.statusText || `HTTP ${response.status}`, status: response.status, detail });
  }
}

export function isProblem(body: unknown): body is Problem {
  const value = body as Partial<Problem> | null;
  return typeof value === 'object' && value !== null && typeof value.type === 'string' && typeof value.title === 'string' && typeof value.status === 'number';
}

/** The result of a client call (openapi-fetch's `{ data, error, response }`). */
export interface CallResult<D> {
  data?: D;
  error?: unknown;
  response: Response;
}

/** The data of a successful call; a refused one throws `BitroProblemError`. */
export async function unwrap<D>(call: Promise<CallResult<D>> | CallResult<D>): Promise<D> {
  const { data, error, response } = await call;
  if (!response.ok) throw BitroProblemError.of(response, error);
  return data as D;
}
