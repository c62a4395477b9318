import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { PROBLEM_CONTENT_TYPE, ProblemException, problemType, titleOf } from './problem';
import { sendProblem } from './send-problem';

/** Longest path parameter the router matches; a longer one is refused 414 before any route runs. */
export const MAX_PARAM_LENGTH = 100;

/**
 * What Fastify's router refuses before a route is found (Fastify's `frameworkErrors`): a URL that is not validly
 * percent-encoded (400) and a path parameter over {@link MAX_PARAM_LENGTH} characters (414), as problem+json.
 */
export function frameworkErrorProblem(error: Error & { code?: string }, request: FastifyRequest, reply: FastifyReply): void {
  const problem =
    error.code === 'FST_ERR_BAD_URL'
      ? new ProblemException(400, 'malformed-url', 'The URL is not validly percent-encoded.')
      : error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? new ProblemException(414, 'uri-too-long', `A path segment is longer than ${MAX_PARAM_LENGTH} characters.`)
        : error;
  sendProblem(problem, request, reply);
}

const CLIENT_ERRORS: Record<string, { status: number; code: string; detail: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, code: 'headers-too-large', detail: 'The request headers are too large.' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'request-timeout', detail: 'The request did not arrive in time.' },
};
const MALFORMED = { status: 400, code: 'malformed-request', detail: 'The request is not well-formed HTTP.' };

/**
 * What Node's HTTP parser refuses before Fastify sees a request (the server's `clientError`: headers too large, bytes
 * that are not HTTP, such as the rest of a body longer than its Content-Length): a problem+json answer, then the
 * connection is closed, as Node does.
 */
export function clientErrorProblem(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const { status, code, detail } = CLIENT_ERRORS[error.code ?? ''] ?? MALFORMED;
    const requestId = randomUUID();
    const body = JSON.stringify({ type: problemType(code), title: titleOf(status), status, detail, requestId });
    socket.write(
      `HTTP/1.1 ${status} ${titleOf(status)}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
