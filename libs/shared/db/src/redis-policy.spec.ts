import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisPolicyWarnings } from './redis-policy';

let redis: Redis;
let stop: () => Promise<void>;

beforeAll(async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  // A Redis of our own: the shared one's configuration is not ours to change.
  const dir = mkdtempSync(join(tmpdir(), 'redis-policy-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'allkeys-lru'], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  stop = async () => {
    child.kill('SIGKILL');
    await exited;
    // A background AOF rewrite (the test turns appendonly on) is a fork of its own that may still write into dir.
    rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 50 });
  };
  redis = new Redis(`redis://127.0.0.1:${port}`, { retryStrategy: () => 100 });
  redis.on('error', () => undefined);
  await redis.ping();
});

afterAll(async () => {
  // Turning the AOF off ends a rewrite still running, so that nothing writes into the directory once it is removed.
  await redis?.config('SET', 'appendonly', 'no').catch(() => undefined);
  redis?.disconnect();
  await stop?.();
});

describe('redisPolicyWarnings', () => {
  it('warns about an evicting policy and about no persistence, and is silent once both are right', async () => {
    const warnings = await redisPolicyWarnings(redis);
    expect(warnings).toEqual([expect.stringMatching(/maxmemory-policy is "allkeys-lru"/), expect.stringMatching(/persists nothing/)]);
    await redis.config('SET', 'maxmemory-policy', 'noeviction');
    await redis.config('SET', 'appendonly', 'yes');
    expect(await redisPolicyWarnings(redis)).toEqual([]);
  });
});
