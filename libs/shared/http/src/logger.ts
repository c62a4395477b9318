import type { LoggerService } from '@nestjs/common';
import { logContext } from '@bitro/tracing';
import pino, { type Logger } from 'pino';
import { redactUrl } from './redact-url';

/** Paths whose values never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.refreshToken',
  '*.accessToken',
  '*.token',
];

interface LoggedRequest {
  method: string;
  url: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/** A request as its log lines show it (Fastify's fields), its URL's secrets redacted. */
const requestSerializer = (request: LoggedRequest) => ({
  method: request.method,
  url: redactUrl(request.url),
  host: request.host,
  remoteAddress: request.ip,
  remotePort: request.socket?.remotePort,
});

/** Structured JSON logs; every request's lines carry its `reqId` (and `correlationId`, `traceId`, `spanId`: {@link logContext}); secrets in headers, bodies and URLs are redacted. */
export function createLogger(level: string, destination?: pino.DestinationStream, service = 'bitro-api'): Logger {
  return pino(
    {
      level,
      base: { service },
      // Which request (and, while tracing, which trace and span) a line belongs to, consumers' lines included.
      mixin: logContext,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: { req: requestSerializer },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    // Asynchronous by default: a line is queued and written off the event loop, not by a write(2) per line on it;
    // pino flushes what is queued when the process exits (ADR 37).
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

/** Nest's own log lines (start-up, route mapping, module errors) into the same pino logger. */
export function nestLoggerOf(logger: Logger): LoggerService {
  return {
    log: (message: unknown) => logger.info(message),
    error: (message: unknown, trace?: unknown) => logger.error({ trace }, String(message)),
    warn: (message: unknown) => logger.warn(message),
    debug: (message: unknown) => logger.debug(message),
    verbose: (message: unknown) => logger.trace(message),
  };
}
