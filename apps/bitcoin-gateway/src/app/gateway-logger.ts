import { REDACTED_PATHS } from '@bitro/http';
import pino, { type Logger } from 'pino';

/** @bitro/http's log conventions (JSON, ISO time, redaction), as service "bitcoin-gateway". */
export function createGatewayLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'bitcoin-gateway' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
