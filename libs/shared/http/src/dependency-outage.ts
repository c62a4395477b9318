/**
 * Whether an error means a dependency is unreachable (PostgreSQL restarting, Redis gone) rather than a bug: such a
 * request answers 503 with Retry-After, not 500. Errors are recognised by their codes through the `cause` chain and
 * Prisma's `meta`, as pg, Prisma's pg adapter and ioredis report them.
 */
export type Dependency = 'postgres' | 'redis';

/**
 * Prisma: can't reach the server, timed out, server closed the connection, no pooled connection in time, no
 * transaction started in time (every pooled connection busy: the database is overloaded or going away).
 */
const PRISMA_OUTAGE = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028']);
/** PostgreSQL SQLSTATEs: admin/crash shutdown, cannot connect now, connection exceptions, too many connections. */
const POSTGRES_OUTAGE = /^(57P0[1-3]|08\d{3}|53300)$/;
const POSTGRES_MESSAGES = /Connection terminated|terminating connection|timeout exceeded when trying to connect|not queryable|Can't reach database server/i;
const REDIS_MESSAGES = /Connection is closed|Stream isn't writeable|enableOfflineQueue|Reached the max retries per request|Redis did not answer/i;
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  meta?: { code?: unknown; message?: unknown; driverAdapterError?: unknown };
  cause?: unknown;
  clientVersion?: unknown;
}

export function unavailableDependency(error: unknown): Dependency | undefined {
  const seen = new Set<unknown>();
  let prismaSeen = false;
  for (let current = error; current && typeof current === 'object' && !seen.has(current); ) {
    seen.add(current);
    const e = current as ErrorLike;
    const code = typeof e.code === 'string' ? e.code : undefined;
    const message = typeof e.message === 'string' ? e.message : '';
    if (e.clientVersion !== undefined) prismaSeen = true;
    if (code && PRISMA_OUTAGE.has(code)) return 'postgres';
    if (code && POSTGRES_OUTAGE.test(code)) return 'postgres';
    const metaCode = typeof e.meta?.code === 'string' ? e.meta.code : undefined;
    if (metaCode && POSTGRES_OUTAGE.test(metaCode)) return 'postgres';
    if (POSTGRES_MESSAGES.test(message) || (typeof e.meta?.message === 'string' && POSTGRES_MESSAGES.test(e.meta.message))) return 'postgres';
    if (e.name === 'MaxRetriesPerRequestError' || REDIS_MESSAGES.test(message)) return 'redis';
    if (code && SOCKET_CODES.has(code)) return prismaSeen || /:5432\b/.test(message) ? 'postgres' : socketDependency(message);
    current = e.cause ?? e.meta?.driverAdapterError;
  }
  return undefined;
}

/** A bare socket error: ioredis reports its own with the Redis address; anything else here came from pg. */
function socketDependency(message: string): Dependency {
  return /redis|:6379\b/i.test(message) ? 'redis' : 'postgres';
}
