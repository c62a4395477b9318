import type { FastifyReply } from 'fastify';
import { PROBLEM_CONTENT_TYPE, problemType } from './problem';

export interface ReadinessCheck {
  name: string;
  up: boolean;
  error?: string;
}

/** Answers a readiness probe: 200 with every check, or 503 problem+json naming the checks that are down. */
export function sendReadiness(reply: FastifyReply, checks: readonly ReadinessCheck[]): void {
  const down = checks.filter((check) => !check.up);
  if (down.length === 0) {
    void reply.status(200).send({ status: 'ok', checks });
    return;
  }
  void reply
    .status(503)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .header('retry-after', '5')
    .send({
      type: problemType('dependency-down'),
      title: 'Service Unavailable',
      status: 503,
      detail: `Not ready: ${down.map((check) => `${check.name} (${check.error})`).join(', ')}.`,
      instance: reply.request.url.split('?')[0],
      requestId: String(reply.request.id),
      down: down.map((check) => check.name),
      checks,
    });
}
