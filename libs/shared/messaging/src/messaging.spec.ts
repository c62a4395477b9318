import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import { type BitroRole, ConfigModule, MESSAGING_SETTINGS, type MessagingSettings } from '@bitro/config';
import { createPgPool, DbModule, PG_POOL } from '@bitro/db';
import { createTestDatabase, createTestRedisNamespace, type TestDatabase, type TestRedisNamespace, testEnv } from '@bitro/testing';
import { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { z } from 'zod';
import { DeadLetterNotFoundError, DeadLetters } from './dead-letters';
import { type DomainEvent, on } from './event-handler';
import { EventSubscriber } from './event-subscriber';
import { PrismaClient } from './generated/prisma/client';
import { MessagingMetrics } from './messaging-metrics';
import { MessagingRetention } from './messaging-retention';
import { consumerQueueName, deliveryJobId, MessagingQueues } from './messaging-queues';
import { MessagingModule } from './messaging.module';
import { Outbox } from './outbox';
import { OutboxRelay } from './outbox-relay';
import { PublicationSweeper } from './publication-sweeper';
import { Publications } from './publications';
import { RepeatingJob } from './repeating-job';
import { pgTransaction, type SqlExecutor } from './sql-executor';

const MAX_ATTEMPTS = 3;
const BACKOFF_MS = 100;
const REDELIVERY_AFTER_MS = 1_000;

const pinged = { name: 'test.pinged.v1', payload: z.object({ key: z.string(), followUp: z.boolean().optional() }) };
const ponged = { name: 'test.ponged.v1', payload: z.object({ key: z.string() }) };
const viaPrisma = { name: 'test.via-prisma.v1', payload: z.object({ key: z.string() }) };
const unsubscribed = { name: 'test.nobody-listens.v1', payload: z.object({ key: z.string() }) };

/** Every handler invocation, across all module instances of this file. */
const calls: Array<{ consumer: string; key: string; eventId: string; at: number }> = [];
/** `<consumer>/<key>` pairs whose handling throws. */
const broken = new Set<string>();

/** The effect of a handler: a row written through the consumer's transaction. */
async function handle(consumer: string, event: DomainEvent<{ key: string }>, tx: SqlExecutor): Promise<void> {
  calls.push({ consumer, key: event.payload.key, eventId: event.id, at: Date.now() });
  if (broken.has(`${consumer}/${event.payload.key}`)) throw new Error(`broken: ${event.payload.key}`);
  await tx.$executeRawUnsafe('INSERT INTO test_effects (consumer, event_id, key) VALUES ($1, $2::uuid, $3)', consumer, event.id, event.payload.key);
}

@EventSubscriber()
@Injectable()
class AlphaSubscriber implements EventSubscriber {
  readonly consumer = 'test-alpha';
  readonly handlers = [
    on(pinged, async (event, tx) => {
      await handle(this.consumer, event, tx);
      // A follow-up event, in the same transaction as the effect.
      if (event.payload.followUp) await this.outbox.append(tx, ponged, { key: `${event.payload.key}:pong` });
    }),
  ];

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly outbox: Outbox,
  ) {}

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return pgTransaction(this.pool, work);
  }
}

@EventSubscriber()
@Injectable()
class BetaSubscriber implements EventSubscriber {
  readonly consumer = 'test-beta';
  readonly handlers = [on(pinged, (event, tx) => handle(this.consumer, event, tx)), on(ponged, (event, tx) => handle(this.consumer, event, tx))];

  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return pgTransaction(this.pool, work);
  }
}

/** A subscriber whose transactions are Prisma interactive transactions, as a domain's are. */
@EventSubscriber()
@Injectable()
class PrismaSubscriber implements EventSubscriber, OnApplicationShutdown {
  readonly consumer = 'test-prisma';
  readonly handlers = [on(viaPrisma, (event, tx) => handle(this.consumer, event, tx))];
  readonly prisma: PrismaClient;

  constructor(@Inject(PG_POOL) pool: Pool) {
    this.prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.prisma.$transaction((tx) => work(tx));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.prisma.$disconnect();
  }
}

let database: TestDatabase;
let redis: TestRedisNamespace;
let pool: Pool;

interface Instance {
  outbox: Outbox;
  deadLetters: DeadLetters;
  metrics: MessagingMetrics;
  relay: OutboxRelay;
  queues: MessagingQueues;
  publications: Publications;
  sweeper: PublicationSweeper;
  retention: MessagingRetention;
  /** The replica's own pool (PG_POOL). */
  pool: Pool;
  close(): Promise<void>;
}

/** One "replica": a Nest application context on this file's database and Redis prefix. */
async function start(roles: BitroRole[], { overrides = {}, providers = [] }: { overrides?: Record<string, string>; providers?: Array<new (...args: never[]) => unknown> } = {}): Promise<Instance> {
  const env = testEnv(database, redis, {
    BITRO_ROLES: roles.join(','),
    OUTBOX_RELAY_INTERVAL_MS: '50',
    EVENT_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
    EVENT_BACKOFF_MS: String(BACKOFF_MS),
    EVENT_REDELIVERY_AFTER_MS: String(REDELIVERY_AFTER_MS),
    ...overrides,
  });
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(env), DbModule, MessagingModule],
    providers: [AlphaSubscriber, BetaSubscriber, PrismaSubscriber, ...providers],
  }).compile();
  moduleRef.useLogger(false);
  await moduleRef.init();
  let closed = false;
  const instance: Instance = {
    outbox: moduleRef.get(Outbox),
    deadLetters: moduleRef.get(DeadLetters),
    metrics: moduleRef.get(MessagingMetrics),
    relay: moduleRef.get(OutboxRelay),
    queues: moduleRef.get(MessagingQueues),
    publications: moduleRef.get(Publications),
    sweeper: moduleRef.get(PublicationSweeper),
    retention: moduleRef.get(MessagingRetention),
    pool: moduleRef.get(PG_POOL),
    close: async () => {
      if (closed) return;
      closed = true;
      await moduleRef.close();
    },
  };
  onTestFinished(() => instance.close());
  return instance;
}

/** Effects per consumer of the events with these keys. */
async function effects(...keys: string[]): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ consumer: string; n: number }>(
    'SELECT consumer, count(*)::int AS n FROM test_effects WHERE key = ANY($1) GROUP BY consumer ORDER BY consumer',
    [keys],
  );
  return Object.fromEntries(rows.map((row) => [row.consumer, row.n]));
}

const callsOf = (consumer: string, key: string) => calls.filter((call) => call.consumer === consumer && call.key === key);

async function publishedAt(eventId: string): Promise<Date | null | undefined> {
  const { rows } = await pool.query<{ published_at: Date | null }>('SELECT published_at FROM "messaging"."outbox" WHERE id = $1', [eventId]);
  return rows[0]?.published_at;
}

async function expectNoEffectTwice(): Promise<void> {
  const { rows } = await pool.query('SELECT consumer, event_id, count(*)::int AS n FROM test_effects GROUP BY 1, 2 HAVING count(*) > 1');
  expect(rows).toEqual([]);
}

const waitFor = <T>(check: () => Promise<T>, timeout = 10_000) => vi.waitFor(check, { timeout, interval: 20 });

beforeAll(async () => {
  database = await createTestDatabase();
  redis = createTestRedisNamespace();
  pool = createPgPool(database.url, 20);
  await pool.query('CREATE TABLE test_effects (id bigserial PRIMARY KEY, consumer text NOT NULL, event_id uuid NOT NULL, key text NOT NULL)');
});

afterAll(async () => {
  if (!database) return;
  await pool?.end();
  await database.drop();
  await redis?.clear();
});

describe('Outbox.append', () => {
  it('publishes nothing from a rolled-back transaction and rejects an invalid payload', async () => {
    const replica = await start(['http', 'worker', 'scheduler']);
    let rolledBack: DomainEvent | undefined;
    await expect(
      pgTransaction(pool, async (tx) => {
        rolledBack = await replica.outbox.append(tx, pinged, { key: 'rolled-back' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await expect(pgTransaction(pool, (tx) => replica.outbox.append(tx, pinged, { key: 42 } as never))).rejects.toBeInstanceOf(z.ZodError);

    // An event committed afterwards is delivered: the relay has run since the rollback.
    await pgTransaction(pool, (tx) => replica.outbox.append(tx, pinged, { key: 'committed-after' }));
    await waitFor(async () => expect(await effects('committed-after')).toEqual({ 'test-alpha': 1, 'test-beta': 1 }));

    const event = rolledBack ?? expect.unreachable('append did not return');
    expect(event.name).toBe('test.pinged.v1');
    expect(await publishedAt(event.id)).toBeUndefined();
    expect(await effects('rolled-back')).toEqual({});
    expect((await pool.query('SELECT count(*)::int AS n FROM "messaging"."outbox"')).rows[0].n).toBe(1);
  });

  it('writes the events of a pgTransaction together just before it commits, and those of a Prisma transaction at once', async () => {
    const replica = await start(['http', 'worker', 'scheduler']);
    const written = (tx: SqlExecutor, ids: string[]) =>
      tx.$queryRawUnsafe<Array<{ n: number }>>('SELECT count(*)::int AS n FROM "messaging"."outbox" WHERE id = ANY($1::uuid[])', ids).then(([row]) => row?.n);
    const seen = await pgTransaction(pool, async (tx) => {
      const first = await replica.outbox.append(tx, pinged, { key: 'together-1' });
      const second = await replica.outbox.append(tx, ponged, { key: 'together-2' });
      const received = { ...first, id: randomUUID(), name: unsubscribed.name, payload: { key: 'together-3' } };
      await replica.outbox.appendReceived(tx, received);
      await replica.outbox.appendReceived(tx, received); // appending a received event again does nothing
      return { beforeCommit: await written(tx, [first.id, second.id, received.id]), ids: [first.id, second.id, received.id] };
    });
    expect(seen.beforeCommit).toBe(0);
    expect((await pool.query('SELECT name FROM "messaging"."outbox" WHERE id = ANY($1::uuid[]) ORDER BY name', [seen.ids])).rows.map((row) => row.name)).toEqual([
      unsubscribed.name,
      pinged.name,
      ponged.name,
    ]);
    await waitFor(async () => expect(await effects('together-1', 'together-2')).toEqual({ 'test-alpha': 1, 'test-beta': 2 }));

    const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
    onTestFinished(() => prisma.$disconnect());
    const inPrisma = await prisma.$transaction(async (tx) => {
      const event = await replica.outbox.append(tx, viaPrisma, { key: 'prisma-at-once' });
      return written(tx, [event.id]);
    });
    expect(inPrisma).toBe(1);
  });
});

describe('delivery', () => {
  it('delivers an event to each subscribed consumer exactly once, even when it is delivered again', async () => {
    const replica = await start(['http', 'worker', 'scheduler']);
    const event = await pgTransaction(pool, (tx) => replica.outbox.append(tx, pinged, { key: 'once' }));
    expect(event).toMatchObject({ name: 'test.pinged.v1', payload: { key: 'once' } });
    await waitFor(async () => expect(await effects('once')).toEqual({ 'test-alpha': 1, 'test-beta': 1 }));
    await waitFor(async () => expect(await publishedAt(event.id)).toBeInstanceOf(Date));

    // Published again, as after a crash between enqueueing and committing: same job ids.
    await pool.query('UPDATE "messaging"."outbox" SET published_at = NULL WHERE id = $1', [event.id]);
    // Only an append's commit notifies; without this the relay would find the row at its next safety-net poll (10 s).
    await pool.query(`SELECT pg_notify('messaging_outbox', '')`);
    await waitFor(async () => expect(await publishedAt(event.id)).toBeInstanceOf(Date));
    // Delivered again under another job id, as after BullMQ dropped the completed job: the inbox stops it.
    await replica.queues.deliver(consumerQueueName('test-alpha'), [{ jobId: `again.${event.id}`, name: event.name, data: event }]);
    const queue = replica.queues.queue(consumerQueueName('test-alpha'));
    await waitFor(async () => expect(await (await queue.getJob(`again.${event.id}`))?.getState()).toBe('completed'));

    expect(await effects('once')).toEqual({ 'test-alpha': 1, 'test-beta': 1 });
    expect(callsOf('test-alpha', 'once')).toHaveLength(1);
    expect(callsOf('test-beta', 'once')).toHaveLength(1);
    const inbox = await pool.query('SELECT consumer FROM "messaging"."inbox" WHERE event_id = $1 ORDER BY consumer', [event.id]);
    expect(inbox.rows).toEqual([{ consumer: 'test-alpha' }, { consumer: 'test-beta' }]);
  });

  it('delivers a follow-up event appended with the handler transaction, and marks unsubscribed events published', async () => {
    const replica = await start(['http', 'worker', 'scheduler']);
    const nobody = await pgTransaction(pool, async (tx) => {
      await replica.outbox.append(tx, pinged, { key: 'ping', followUp: true });
      return replica.outbox.append(tx, unsubscribed, { key: 'nobody' });
    });
    await waitFor(async () => expect(await effects('ping:pong')).toEqual({ 'test-beta': 1 }));
    // No order between events: test-beta may handle the follow-up before the event that caused it.
    await waitFor(async () => expect(await effects('ping')).toEqual({ 'test-alpha': 1, 'test-beta': 1 }));
    await waitFor(async () => expect(await publishedAt(nobody.id)).toBeInstanceOf(Date));
  });

  it('runs handlers inside a subscriber’s Prisma interactive transaction, and appends with a Prisma transaction', async () => {
    const replica = await start(['http', 'worker', 'scheduler']);
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
    onTestFinished(() => prisma.$disconnect());
    const event = await prisma.$transaction((tx) => replica.outbox.append(tx, viaPrisma, { key: 'prisma' }));
    await waitFor(async () => expect(await effects('prisma')).toEqual({ 'test-prisma': 1 }));

    await replica.queues.deliver(consumerQueueName('test-prisma'), [{ jobId: `again.${event.id}`, name: event.name, data: event }]);
    const queue = replica.queues.queue(consumerQueueName('test-prisma'));
    await waitFor(async () => expect(await (await queue.getJob(`again.${event.id}`))?.getState()).toBe('completed'));
    expect(await effects('prisma')).toEqual({ 'test-prisma': 1 });
    expect(callsOf('test-prisma', 'prisma')).toHaveLength(1);
  });
});

describe('failures', () => {
  it('retries a failing handler with exponential backoff, dead-letters it, and delivers it once when resubmitted', async () => {
    const replica = await start(['http', 'worker', 'scheduler']);
    broken.add('test-alpha/poison-1').add('test-alpha/poison-2');
    const first = await pgTransaction(pool, (tx) => replica.outbox.append(tx, pinged, { key: 'poison-1' }));
    const second = await pgTransaction(pool, (tx) => replica.outbox.append(tx, pinged, { key: 'poison-2' }));

    await waitFor(async () => expect(await replica.deadLetters.list()).toHaveLength(2));
    const attempts = callsOf('test-alpha', 'poison-1');
    expect(attempts).toHaveLength(MAX_ATTEMPTS);
    // Exponential: the n-th retry waits BACKOFF_MS * 2^(n-1).
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(BACKOFF_MS - 5);
    expect(attempts[2].at - attempts[1].at).toBeGreaterThanOrEqual(2 * BACKOFF_MS - 5);
    // The other consumer of the same events is not affected.
    expect(await effects('poison-1', 'poison-2')).toEqual({ 'test-beta': 2 });

    const letters = await replica.deadLetters.list();
    const letter = letters.find((dead) => dead.event.id === first.id) ?? expect.unreachable('no dead letter of poison-1');
    const other = letters.find((dead) => dead.event.id === second.id) ?? expect.unreachable('no dead letter of poison-2');
    expect(letter).toMatchObject({ consumer: 'test-alpha', event: first, error: 'broken: poison-1', attempts: MAX_ATTEMPTS });
    expect((await replica.metrics.snapshot()).deadLetters).toBe(2);

    broken.clear();
    await replica.deadLetters.resubmit(letter.id);
    await waitFor(async () => expect(await effects('poison-1')).toEqual({ 'test-alpha': 1, 'test-beta': 1 }));
    expect(callsOf('test-alpha', 'poison-1')).toHaveLength(MAX_ATTEMPTS + 1);
    expect((await replica.deadLetters.list()).map((dead) => dead.id)).toEqual([other.id]);
    await expect(replica.deadLetters.resubmit(letter.id)).rejects.toBeInstanceOf(DeadLetterNotFoundError);
    await expect(replica.deadLetters.resubmit('not-an-id')).rejects.toBeInstanceOf(DeadLetterNotFoundError);

    expect(await replica.deadLetters.resubmitAll()).toBe(1);
    await waitFor(async () => expect(await effects('poison-2')).toEqual({ 'test-alpha': 1, 'test-beta': 1 }));
    expect(await replica.deadLetters.list()).toEqual([]);
    expect((await replica.metrics.snapshot()).deadLetters).toBe(0);
    await expectNoEffectTwice();
  });
  it('handles a backlog in batches, one transaction each, where a failing event fails alone', async () => {
    const web = await start(['http']);
    const keys = Array.from({ length: 60 }, (_, i) => `batched-${i}`);
    broken.add('test-alpha/batched-7');
    await pgTransaction(pool, async (tx) => {
      for (const key of keys) await web.outbox.append(tx, pinged, { key });
    });
    const worker = await start(['worker']);

    await waitFor(async () => expect(await worker.deadLetters.list()).toHaveLength(1));
    const handled = keys.filter((key) => key !== 'batched-7');
    await waitFor(async () => expect(await effects(...handled)).toEqual({ 'test-alpha': 59, 'test-beta': 59 }));
    expect(await effects('batched-7')).toEqual({ 'test-beta': 1 });
    // Fewer transactions than events: the inbox rows of a batch share their handling's transaction id.
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(DISTINCT i.xmin::text)::int AS n FROM "messaging"."inbox" i JOIN test_effects e ON e.event_id = i.event_id AND e.consumer = i.consumer
        WHERE e.key = ANY($1)`,
      [handled],
    );
    expect(rows[0]?.n).toBeLessThan(2 * handled.length);

    broken.clear();
    expect(await worker.deadLetters.resubmitAll()).toBe(1);
    await waitFor(async () => expect(await effects('batched-7')).toEqual({ 'test-alpha': 1, 'test-beta': 1 }));
    expect(await worker.deadLetters.list()).toEqual([]);
    await expectNoEffectTwice();
  });

  it('dead-letters, without handling it again, an event whose worker died twice while handling it', async () => {
    const web = await start(['http']);
    const event = await pgTransaction(pool, (tx) => web.outbox.append(tx, pinged, { key: 'killer' }));
    // Relayed, handled by test-beta; test-alpha's delivery is this job, the sweeper not due yet.
    await pool.query('UPDATE "messaging"."outbox" SET published_at = now() WHERE id = $1', [event.id]);
    await pool.query(
      `INSERT INTO "messaging"."publications" (event_id, consumer, event_name, delivered_at, completed_at)
       VALUES ($1, 'test-alpha', $2, now() + interval '1 hour', NULL), ($1, 'test-beta', $2, now(), now())`,
      [event.id, event.name],
    );
    const jobId = `killer.${event.id}`;
    await web.queues.deliver(consumerQueueName('test-alpha'), [{ jobId, name: event.name, data: event }]);
    // What BullMQ records when it has found the job stalled (its worker gone) twice.
    const client = new Redis(redis.url);
    onTestFinished(() => client.quit().then(() => undefined));
    await client.hset(`${redis.prefix}bull:${consumerQueueName('test-alpha')}:${jobId}`, 'stc', 2);
    await web.close();

    const worker = await start(['worker']);
    await waitFor(async () => expect((await worker.deadLetters.list()).map((dead) => dead.event.id)).toEqual([event.id]));
    const [letter] = await worker.deadLetters.list();
    expect(letter).toMatchObject({ consumer: 'test-alpha', event, attempts: 1, error: expect.stringMatching(/stopped 2 times/) });
    expect(callsOf('test-alpha', 'killer')).toEqual([]);

    await worker.deadLetters.resubmit(letter.id);
    await waitFor(async () => expect(await effects('killer')).toEqual({ 'test-alpha': 1 }));
  });
});

describe('crashes and replicas', () => {
  it('publishes, after a restart, the events committed while no relay ran or just before the process stopped', async () => {
    const web = await start(['http']);
    const keys = ['crash-1', 'crash-2', 'crash-3'];
    for (const key of keys) await pgTransaction(pool, (tx) => web.outbox.append(tx, pinged, { key }));
    expect((await web.metrics.snapshot()).outboxBacklog).toBe(3);
    await web.close();

    // A worker that stops right after the append, possibly in the middle of relaying or handling.
    const stopping = await start(['worker', 'scheduler']);
    for (const key of ['stop-1', 'stop-2']) await pgTransaction(pool, (tx) => stopping.outbox.append(tx, pinged, { key }));
    await stopping.close();

    await start(['worker', 'scheduler']);
    const all = [...keys, 'stop-1', 'stop-2'];
    await waitFor(async () => expect(await effects(...all)).toEqual({ 'test-alpha': all.length, 'test-beta': all.length }));
    for (const key of all) expect(await effects(key)).toEqual({ 'test-alpha': 1, 'test-beta': 1 });
    await expectNoEffectTwice();
  });

  it('relays and handles a few hundred events exactly once with two replicas', async () => {
    const replicas = await Promise.all([start(['worker', 'scheduler']), start(['worker', 'scheduler'])]);
    const keys = Array.from({ length: 300 }, (_, i) => `replica-${i}`);
    const appended = Promise.all(
      Array.from({ length: 30 }, (_, batch) =>
        pgTransaction(pool, async (tx) => {
          for (const key of keys.slice(batch * 10, batch * 10 + 10)) await replicas[batch % 2].outbox.append(tx, pinged, { key });
        }),
      ),
    );
    // Both replicas also relay on their own, concurrently with the scheduled runs.
    const relayed = Promise.all(replicas.flatMap((replica) => [replica.relay.drain(), replica.relay.drain()]));
    await Promise.all([appended, relayed]);

    await waitFor(async () => expect(await effects(...keys)).toEqual({ 'test-alpha': 300, 'test-beta': 300 }), 20_000);
    await expectNoEffectTwice();
    expect(calls.filter((call) => call.key.startsWith('replica-'))).toHaveLength(600);
    await waitFor(async () => expect((await replicas[0].metrics.snapshot()).outboxBacklog).toBe(0));
    // Jobs are enqueued once their publication is committed: each completed by its first delivery.
    await waitFor(async () => expect(await publicationsOf(...keys)).toHaveLength(600));
    expect((await publicationsOf(...keys)).filter((record) => !record.completed || record.deliveries !== 1)).toEqual([]);
  });
});

describe('MessagingMetrics', () => {
  it('reports the outbox backlog, the age of its oldest event and the dead letters', async () => {
    const web = await start(['http']);
    expect(await web.metrics.snapshot()).toEqual({ outboxBacklog: 0, oldestUnpublishedAgeMs: null, deadLetters: 0 });
    const oldest = await pgTransaction(pool, (tx) => web.outbox.append(tx, pinged, { key: 'metrics-1' }));
    await pgTransaction(pool, (tx) => web.outbox.append(tx, pinged, { key: 'metrics-2' }));
    await pool.query(`UPDATE "messaging"."outbox" SET occurred_at = now() - interval '1 minute' WHERE id = $1`, [oldest.id]);

    const snapshot = await web.metrics.snapshot();
    expect(snapshot).toMatchObject({ outboxBacklog: 2, deadLetters: 0 });
    expect(snapshot.oldestUnpublishedAgeMs).toBeGreaterThanOrEqual(60_000);
    expect(snapshot.oldestUnpublishedAgeMs).toBeLessThan(120_000);
    await web.close();

    const worker = await start(['worker', 'scheduler']);
    await waitFor(async () => expect(await worker.metrics.snapshot()).toEqual({ outboxBacklog: 0, oldestUnpublishedAgeMs: null, deadLetters: 0 }));
  });
});

/** Publications of these keys' events: consumer → [deliveries, completed]. */
async function publicationsOf(...keys: string[]): Promise<Array<{ consumer: string; deliveries: number; completed: boolean }>> {
  const { rows } = await pool.query<{ consumer: string; deliveries: number; completed: boolean }>(
    `SELECT p.consumer, p.deliveries, p.completed_at IS NOT NULL AS completed
       FROM "messaging"."publications" p JOIN "messaging"."outbox" o ON o.id = p.event_id
      WHERE o.payload->>'key' = ANY($1) ORDER BY o.payload->>'key', p.consumer`,
    [keys],
  );
  return rows;
}

/** Resolves once the event with this key has been relayed to both its consumers and handled by each (once). */
const untilHandled = (key: string) =>
  waitFor(async () =>
    expect(await publicationsOf(key)).toEqual([
      { consumer: 'test-alpha', deliveries: 1, completed: true },
      { consumer: 'test-beta', deliveries: 1, completed: true },
    ]),
  );

/** What Redis losing its data does to this file's namespace (FLUSHALL would touch every other test's too). */
async function loseRedisData(): Promise<void> {
  await redis.clear();
}

describe('the publication record (PostgreSQL is the record, Redis a carrier)', () => {
  it('records a publication per (event, consumer) with the relay, completed by the handling', async () => {
    const replica = await start(['worker']);
    await pgTransaction(pool, (tx) => replica.outbox.append(tx, pinged, { key: 'recorded' }));
    await waitFor(async () => expect(await effects('recorded')).toEqual({ 'test-alpha': 1, 'test-beta': 1 }));
    await untilHandled('recorded');
  });

  it('re-delivers, exactly once in effect, the events whose queued jobs Redis lost', async () => {
    const replica = await start(['worker']);
    // The consumers' queues hold the jobs, but nothing takes them yet.
    await Promise.all(['test-alpha', 'test-beta'].map((consumer) => replica.queues.queue(consumerQueueName(consumer)).pause()));
    const keys = Array.from({ length: 20 }, (_, i) => `lost-${i}`);
    await pgTransaction(pool, async (tx) => {
      for (const key of keys) await replica.outbox.append(tx, pinged, { key });
    });
    await waitFor(async () => expect(await replica.queues.queue(consumerQueueName('test-alpha')).getJobCountByTypes('wait')).toBe(20));
    await loseRedisData();

    await waitFor(async () => expect(await effects(...keys)).toEqual({ 'test-alpha': 20, 'test-beta': 20 }), 15_000);
    await expectNoEffectTwice();
    const records = await publicationsOf(...keys);
    expect(records).toHaveLength(40);
    expect(records.every((record) => record.completed && record.deliveries === 2)).toBe(true);
    expect(await replica.publications.incomplete(0)).toEqual([]);
  });

  it('refuses a job that matches no committed event, or whose payload is not the committed one', async () => {
    const replica = await start(['worker']);
    const forged: DomainEvent = { id: randomUUID(), name: pinged.name, occurredAt: new Date().toISOString(), payload: { key: 'minted' } };
    await replica.queues.deliver(consumerQueueName('test-alpha'), [{ jobId: `forged.${forged.id}`, name: forged.name, data: forged }]);
    await waitFor(async () => expect((await replica.deadLetters.list()).map((letter) => letter.event.id)).toContain(forged.id));
    expect((await replica.deadLetters.list()).find((letter) => letter.event.id === forged.id)?.error).toMatch(/no committed test.pinged.v1/);

    // A real event, delivered first with a changed payload: refused; the committed one is handled once.
    const web = await start(['http']);
    const real = await pgTransaction(pool, (tx) => web.outbox.append(tx, pinged, { key: 'genuine' }));
    const tampered = { ...real, payload: { key: 'tampered' } };
    await replica.queues.deliver(consumerQueueName('test-alpha'), [{ jobId: `tampered.${real.id}`, name: real.name, data: tampered }]);
    await waitFor(async () => expect((await replica.deadLetters.list()).map((letter) => letter.error)).toContainEqual(expect.stringMatching(/differs from the committed event/)));
    await waitFor(async () => expect(await effects('genuine')).toEqual({ 'test-alpha': 1, 'test-beta': 1 }));
    expect(await effects('minted', 'tampered')).toEqual({});
    // Resubmitting the tampered dead letter does not mint either.
    const letter = (await replica.deadLetters.list()).find((dead) => dead.event.id === real.id) ?? expect.unreachable('no dead letter');
    await replica.deadLetters.resubmit(letter.id);
    await waitFor(async () => expect((await replica.deadLetters.list()).filter((dead) => dead.event.id === real.id)).toHaveLength(1));
    expect(await effects('tampered')).toEqual({});
  });

  it('gives a consumer added by a newer build the events relayed before it existed', async () => {
    const old = await start(['worker']);
    await pgTransaction(pool, (tx) => old.outbox.append(tx, pinged, { key: 'before-gamma' }));
    await waitFor(async () => expect(await effects('before-gamma')).toEqual({ 'test-alpha': 1, 'test-beta': 1 }));
    await old.close();

    await start(['worker'], { providers: [GammaSubscriber] });
    await waitFor(async () => expect(await effects('before-gamma')).toEqual({ 'test-alpha': 1, 'test-beta': 1, 'test-gamma': 1 }), 15_000);
    await expectNoEffectTwice();
  });
  it('writes nothing in an idle sweep, and renews a consumer\'s seen_at once it is an hour old', async () => {
    const replica = await start(['worker']);
    await pgTransaction(pool, (tx) => replica.outbox.append(tx, pinged, { key: 'before-idle' }));
    await untilHandled('before-idle');
    const versions = async () => (await pool.query<{ consumer: string; xmin: string; seen_at: Date }>(`SELECT consumer, xmin::text, seen_at FROM "messaging"."subscriptions" WHERE consumer = 'test-alpha'`)).rows;
    await replica.sweeper.sweep(); // registers the consumers, should this be the first sweep
    const before = await versions();
    expect(before).toHaveLength(1);
    await replica.sweeper.sweep();
    expect(await versions()).toEqual(before);

    await pool.query(`UPDATE "messaging"."subscriptions" SET seen_at = now() - interval '61 minutes' WHERE consumer = 'test-alpha'`);
    await replica.sweeper.sweep();
    const [renewed] = await versions();
    expect(Date.now() - renewed.seen_at.getTime()).toBeLessThan(60 * 60_000);
  });
  it('runs one statement and no transaction in an idle sweep between directory refreshes, and redelivers once one is due', async () => {
    // A slow handling (a loaded machine) must not be redelivered by the replica's own timer before the sweep measured here.
    const replica = await start(['worker'], { overrides: { EVENT_REDELIVERY_AFTER_MS: '60000' } });
    const event = await pgTransaction(pool, (tx) => replica.outbox.append(tx, pinged, { key: 'idle-probe' }));
    await untilHandled('idle-probe');
    // The handler's commit completes the publication before BullMQ marks the job done; a job still running is left alone.
    await waitFor(async () => expect(await replica.queues.isPending(consumerQueueName('test-alpha'), deliveryJobId(event.id, 'test-alpha'))).toBe(false));
    // Its own timer would sweep meanwhile, the relay writes publications too, and the retention's first run deletes.
    await Promise.all([replica.sweeper.stop(), replica.relay.stop(), replica.retention.stop()]);
    // The replica's other pollers share the pool: only statements on the publication record and the directory count.
    const queries = vi.spyOn(replica.pool, 'query');
    const transactions = vi.spyOn(PublicationSweeper.prototype as unknown as { sweepBatch: () => Promise<unknown> }, 'sweepBatch');
    expect(await replica.sweeper.sweep({ directory: false })).toBe(0);
    const texts = queries.mock.calls.map(([statement]) => (typeof statement === 'string' ? statement : (statement as { text: string }).text));
    const swept = texts.filter((text) => /"messaging"\."(publications|subscriptions)"/.test(text));
    const batches = transactions.mock.calls.length;
    queries.mockRestore();
    transactions.mockRestore();
    expect(swept).toEqual([expect.stringContaining('SELECT EXISTS')]);
    expect(batches).toBe(0);

    // Due again (its job long gone): the probe finds it and the sweep takes it in its transaction, as before.
    await pool.query(
      `UPDATE "messaging"."publications" SET completed_at = NULL, delivered_at = now() - interval '1 hour'
        WHERE consumer = 'test-alpha' AND event_id IN (SELECT id FROM "messaging"."outbox" WHERE payload->>'key' = 'idle-probe')`,
    );
    expect(await replica.sweeper.sweep({ directory: false })).toBe(1);
  });
});

describe('the publication sweeper behind a backlog', () => {
  it('stops a sweep at a full batch whose jobs are all still queued, and takes the next oldest batch the next time', async () => {
    const replica = await start(['worker'], { overrides: { EVENT_REDELIVERY_AFTER_MS: '60000' } });
    // Nothing handles the jobs: they stay queued, as behind a long backlog.
    await Promise.all([replica.sweeper.stop(), replica.retention.stop(), replica.queues.stopWorkers()]);
    const keys = Array.from({ length: 600 }, (_, i) => `backlog-${i}`);
    await pgTransaction(pool, async (tx) => {
      for (const key of keys) await replica.outbox.append(tx, pinged, { key });
    });
    await waitFor(async () => expect(await publicationsOf(...keys)).toHaveLength(1_200), 30_000);
    await replica.relay.stop();
    const stale = `UPDATE "messaging"."publications" SET delivered_at = now() - interval '1 hour'
                    WHERE event_id IN (SELECT id FROM "messaging"."outbox" WHERE payload->>'key' LIKE 'backlog-%')`;
    await pool.query(stale);
    const touched = async () =>
      (
        await pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "messaging"."publications" p JOIN "messaging"."outbox" o ON o.id = p.event_id
            WHERE o.payload->>'key' LIKE 'backlog-%' AND p.delivered_at > now() - interval '1 minute'`,
        )
      ).rows[0]?.n;
    expect(await replica.sweeper.sweep({ directory: false })).toBe(0);
    expect(await touched()).toBe(500);
    expect(await replica.sweeper.sweep({ directory: false })).toBe(0);
    expect(await touched()).toBe(1_000);
  });
});

@EventSubscriber()
@Injectable()
class GammaSubscriber implements EventSubscriber {
  readonly consumer = 'test-gamma';
  readonly handlers = [on(pinged, (event, tx) => handle(this.consumer, event, tx))];
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return pgTransaction(this.pool, work);
  }
}

const ticks: number[] = [];

@Injectable()
class TickJob extends RepeatingJob {
  constructor(@Inject(MESSAGING_SETTINGS) settings: MessagingSettings) {
    super(settings, { queue: 'test-ticks', schedulerId: 'test-tick', everyMs: 200, label: 'Tick', context: 'test', run: async () => ticks.push(Date.now()) });
  }
}

describe('RepeatingJob', () => {
  it('re-creates its job scheduler when Redis lost it, without a restart', async () => {
    await start(['worker', 'scheduler'], { providers: [TickJob] });
    await waitFor(async () => expect(ticks.length).toBeGreaterThan(2));
    await loseRedisData();
    const lostAt = Date.now();
    await waitFor(async () => expect(ticks.filter((at) => at > lostAt + 500).length).toBeGreaterThan(2), 15_000);
  });
});

describe('Publications.status', () => {
  it('names per consumer the incomplete deliveries and the oldest one\'s age', async () => {
    const web = await start(['http']);
    const event = await pgTransaction(pool, (tx) => web.outbox.append(tx, pinged, { key: 'status' }));
    await pool.query(
      `INSERT INTO "messaging"."publications" (event_id, consumer, event_name, created_at) VALUES ($1, 'test-status', $2, now() - interval '2 minutes')`,
      [event.id, event.name],
    );
    const status = (await web.publications.status()).find((row) => row.consumer === 'test-status');
    expect(status).toMatchObject({ incomplete: 1, deadLetters: 0 });
    expect(status?.oldestIncompleteAgeMs).toBeGreaterThanOrEqual(120_000);
    expect((await web.publications.incomplete(60_000)).map((row) => row.consumer)).toContain('test-status');
    await pool.query(`DELETE FROM "messaging"."publications" WHERE consumer = 'test-status'`);
  });
});
