import { type InvalidParam, ProblemException } from '@bitro/http';

/** A problem answer as stored: enough to answer it again. */
export interface StoredProblem {
  code: string;
  detail: string;
  errors?: InvalidParam[];
  headers?: Record<string, string>;
}

/** What a request under a key was answered: a success body, or a problem. JSON-safe (a store keeps it as JSON). */
export interface StoredAnswer {
  status: number;
  body?: unknown;
  problem?: StoredProblem;
}

/**
 * Whether an answer of this status is kept and given again to every retry: successes and client errors, except 409
 * and 429, which say "not now" (a conflict, a limit) and may not hold for the retry. A 5xx is never kept.
 */
export const isReplayable = (status: number): boolean => (status >= 200 && status < 300) || (status >= 400 && status < 500 && status !== 409 && status !== 429);

export const problemAnswer = (error: ProblemException): StoredAnswer => ({
  status: error.status,
  problem: {
    code: error.code,
    detail: error.message,
    ...(error.extra.errors ? { errors: error.extra.errors } : {}),
    ...(error.extra.headers ? { headers: error.extra.headers } : {}),
  },
});

/** The exception that answers a stored problem again, with `headers` added to its own. */
export const storedProblemException = (status: number, problem: StoredProblem, headers: Record<string, string> = {}): ProblemException =>
  new ProblemException(status, problem.code, problem.detail, { errors: problem.errors, headers: { ...problem.headers, ...headers } });
