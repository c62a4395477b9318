import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';

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

/** Structured JSON logs; every request's lines carry its `reqId`. */
export function createLogger(level: string, destination?: pino.DestinationStream, service = 'bitro-api'): Logger {
  return pino(
    {
      level,
      base: { service },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
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
