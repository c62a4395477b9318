import type { IdempotentResult } from './run-idempotently';
import { storedProblemException } from './stored-answer';

/** Set (`true`) on an answer given again to a retry. */
export const IDEMPOTENT_REPLAYED = 'idempotent-replayed';

/** What a route handler needs of the reply (Fastify's, with `@Res({ passthrough: true })`). */
export interface ReplyHeaders {
  status(statusCode: number): unknown;
  headers(values: Record<string, string>): unknown;
}

/**
 * Answers a route with the result of `runIdempotently`: returns the success body to send, its status and headers set on
 * `reply`, or throws the problem answered.
 */
export function sendAnswer<T>(result: IdempotentResult, reply: ReplyHeaders): T {
  const { answer, replayed } = result;
  const headers: Record<string, string> = replayed ? { [IDEMPOTENT_REPLAYED]: 'true' } : {};
  if (answer.problem) throw storedProblemException(answer.status, answer.problem, headers);
  reply.status(answer.status);
  reply.headers(headers);
  return answer.body as T;
}
