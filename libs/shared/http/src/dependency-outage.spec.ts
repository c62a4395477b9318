import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { Client, Pool } from 'pg';
import { describe, expect, it } from 'vitest';
import { unavailableDependency } from './dependency-outage';
import { toProblem } from './to-problem';

const ADMIN_URL = process.env['TEST_DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** A port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const failureOf = async (work: () => Promise<unknown>): Promise<unknown> => work().then(() => expect.unreachable('it did not fail'), (error: unknown) => error);

describe('unavailable dependencies answer 503, not 500', () => {
  it('recognises PostgreSQL refusing connections', async () => {
    const pool = new Pool({ connectionString: `postgresql://postgres@127.0.0.1:${await closedPort()}/x`, connectionTimeoutMillis: 1_000 });
    const error = await failureOf(() => pool.query('SELECT 1'));
    await pool.end();
    expect(unavailableDependency(error)).toBe('postgres');
    const { problem, headers } = toProblem(error, '/v1/me', 'req-1');
    expect(problem).toMatchObject({ status: 503, type: 'https://bitro.dev/problems/dependency-unavailable' });
    expect(headers['retry-after']).toBe('5');
  });

  it('recognises a connection PostgreSQL terminates mid-query (57P01, as in a fast restart)', async () => {
    const client = new Client({ connectionString: ADMIN_URL });
    client.on('error', () => undefined);
    await client.connect();
    const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
    const sleeping = failureOf(() => client.query('SELECT pg_sleep(5)'));
    const admin = new Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await admin.end();
    const error = await sleeping;
    await client.end().catch(() => undefined);
    expect(unavailableDependency(error)).toBe('postgres');
  });

  it('recognises Redis being away', async () => {
    const redis = new Redis(`redis://127.0.0.1:${await closedPort()}`, { maxRetriesPerRequest: 1, retryStrategy: () => 50, lazyConnect: false });
    redis.on('error', () => undefined);
    const error = await failureOf(() => redis.get('x'));
    redis.disconnect();
    expect(unavailableDependency(error)).toBe('redis');
    expect(toProblem(error, '/v1/wallet/balance', 'req-2').problem.status).toBe(503);
  });

  it('leaves every other error a 500', () => {
    expect(unavailableDependency(new Error('boom'))).toBeUndefined();
    expect(unavailableDependency(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBeUndefined();
    expect(toProblem(new TypeError('x is undefined'), '/v1/me', 'req-3').problem.status).toBe(500);
  });
});
