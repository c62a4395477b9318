import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE } from './problem';
import { toProblem } from './to-problem';

export function sendProblem(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const path = request.url.split('?')[0] ?? request.url;
  const { problem, headers, unexpected } = toProblem(error, path, String(request.id));
  if (unexpected) request.log.error({ err: error }, 'unexpected error');
  else request.log.info({ status: problem.status, type: problem.type }, 'request refused');
  void reply.status(problem.status).headers(headers).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
}
