import { Redis } from 'ioredis';

/** A Redis connection for BullMQ queues and workers: their blocking reads need `maxRetriesPerRequest: null`. */
export function createQueueConnection(redisUrl: string, onError: (error: Error) => void): Redis {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  connection.on('error', onError);
  return connection;
}

/**
 * Waits for BullMQ objects to close, but only while Redis answers and at most `graceMs`: with Redis
 * unreachable, BullMQ's close() never settles and would hang the shutdown.
 */
export async function settleWhileConnected(connection: Redis | undefined, closing: Promise<unknown>, graceMs = 10_000): Promise<void> {
  if (connection?.status !== 'ready') return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([closing, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
  clearTimeout(timer);
}

/** Quits a connection politely when it is up, and drops it otherwise (BullMQ leaves connections it was given open). */
export async function closeQueueConnection(connection: Redis | undefined): Promise<void> {
  if (!connection) return;
  if (connection.status === 'ready') await connection.quit().catch(() => connection.disconnect());
  else connection.disconnect();
}
