import { Inject, Injectable, type DynamicModule } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ConfigModule } from '@bitro/config';
import { createPgPool, DbModule, PG_POOL } from '@bitro/db';
import { createTestDatabase, createTestRedisNamespace, type TestDatabase, type TestRedisNamespace, testEnv } from '@bitro/testing';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { z } from 'zod';
import { DeadLetters } from './dead-letters';
import { on } from './event-handler';
import { EventSubscriber } from './event-subscriber';
import { MessagingQueues } from './messaging-queues';
import { inboundConsumerName, type MessagingRoutes } from './messaging-routes';
import { MessagingModule } from './messaging.module';
import { Outbox } from './outbox';
import { pgTransaction, type SqlExecutor } from './sql-executor';

const REMOTE_QUEUE = 'test-remote-commands';
const ordered = { name: 'test.ordered.v1', queue: REMOTE_QUEUE, payload: z.object({ key: z.string() }) };

/** A subscriber of the receiving process: records each event it handles in its own database. */
@EventSubscriber()
@Injectable()
class OrderTaker implements EventSubscriber {
  readonly consumer = 'test-order-taker';
  readonly handlers = [
    on(ordered, (event, tx) => tx.$executeRawUnsafe('INSERT INTO test_orders (event_id, key) VALUES ($1::uuid, $2)', event.id, event.payload.key).then(() => undefined)),
  ];
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return pgTransaction(this.pool, work);
  }
}

let sender: TestDatabase;
let receiver: TestDatabase;
let redis: TestRedisNamespace;
let senderPool: Pool;
let receiverPool: Pool;

/** A process on its own database, sharing this file's Redis prefix with the other one. */
async function startProcess(database: TestDatabase, messaging: DynamicModule, providers: Array<new (...args: never[]) => unknown> = []) {
  const env = testEnv(database, redis, { BITRO_ROLES: 'worker,scheduler', OUTBOX_RELAY_INTERVAL_MS: '50', EVENT_MAX_ATTEMPTS: '2', EVENT_BACKOFF_MS: '50' });
  const moduleRef = await Test.createTestingModule({ imports: [ConfigModule.forRoot(env), DbModule, messaging], providers }).compile();
  moduleRef.useLogger(false);
  await moduleRef.init();
  onTestFinished(() => moduleRef.close());
  return { outbox: moduleRef.get(Outbox), queues: moduleRef.get(MessagingQueues), deadLetters: moduleRef.get(DeadLetters) };
}

const outbound: MessagingRoutes = { outbound: [ordered] };
const inbound: MessagingRoutes = { inbound: [{ queue: REMOTE_QUEUE, events: [ordered] }] };

async function orders(key: string): Promise<number> {
  const { rows } = await receiverPool.query<{ n: number }>('SELECT count(*)::int AS n FROM test_orders WHERE key = $1', [key]);
  return rows[0].n;
}

const waitFor = <T>(check: () => Promise<T>) => vi.waitFor(check, { timeout: 10_000, interval: 25 });

beforeAll(async () => {
  [sender, receiver] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  redis = createTestRedisNamespace();
  senderPool = createPgPool(sender.url, 5);
  receiverPool = createPgPool(receiver.url, 5);
  await receiverPool.query('CREATE TABLE test_orders (event_id uuid PRIMARY KEY, key text NOT NULL)');
});

afterAll(async () => {
  await Promise.all([senderPool?.end(), receiverPool?.end()]);
  await Promise.all([sender?.drop(), receiver?.drop(), redis?.clear()]);
});

describe('routes between processes', () => {
  it('carries an outbound event to the other process, where its subscribers handle it once under the same id', async () => {
    const a = await startProcess(sender, MessagingModule.forRoot(outbound));
    await startProcess(receiver, MessagingModule.forRoot(inbound), [OrderTaker]);
    const event = await pgTransaction(senderPool, (tx) => a.outbox.append(tx, ordered, { key: 'first' }));
    await waitFor(async () => expect(await orders('first')).toBe(1));
    const { rows } = await receiverPool.query('SELECT event_id FROM test_orders WHERE key = $1', ['first']);
    expect(rows).toEqual([{ event_id: event.id }]);

    // Published again by the sender (a crash before its commit) and delivered again under a new job id: still once.
    await senderPool.query('UPDATE "messaging"."outbox" SET published_at = NULL WHERE id = $1', [event.id]);
    await a.queues.deliver(REMOTE_QUEUE, [{ jobId: `again-${event.id}`, event }]);
    await waitFor(async () => expect((await a.queues.queue(REMOTE_QUEUE).getJob(`again-${event.id}`))?.finishedOn).toBeTypeOf('number'));
    await waitFor(async () => expect((await senderPool.query('SELECT published_at FROM "messaging"."outbox" WHERE id = $1', [event.id])).rows[0].published_at).not.toBeNull());
    expect(await orders('first')).toBe(1);
    const inboxed = await receiverPool.query('SELECT consumer FROM "messaging"."inbox" WHERE event_id = $1 ORDER BY consumer', [event.id]);
    expect(inboxed.rows.map((row) => row.consumer)).toEqual([inboundConsumerName(REMOTE_QUEUE), 'test-order-taker']);
  });

  it('keeps events for a receiver that is not running and delivers them when it starts', async () => {
    const a = await startProcess(sender, MessagingModule.forRoot(outbound));
    await pgTransaction(senderPool, (tx) => a.outbox.append(tx, ordered, { key: 'while-down' }));
    await waitFor(async () => expect(await a.queues.queue(REMOTE_QUEUE).getWaitingCount()).toBeGreaterThan(0));
    expect(await orders('while-down')).toBe(0);
    await startProcess(receiver, MessagingModule.forRoot(inbound), [OrderTaker]);
    await waitFor(async () => expect(await orders('while-down')).toBe(1));
  });

  it('dead-letters a message that does not match its contract, naming the inbound consumer', async () => {
    const a = await startProcess(sender, MessagingModule.forRoot(outbound));
    const b = await startProcess(receiver, MessagingModule.forRoot(inbound), [OrderTaker]);
    const bad = { id: '00000000-0000-4000-8000-000000000001', name: ordered.name, occurredAt: new Date().toISOString(), payload: { key: 42 } };
    await a.queues.deliver(REMOTE_QUEUE, [{ jobId: bad.id, event: bad }]);
    await waitFor(async () => expect((await b.deadLetters.list()).map((letter) => letter.event.id)).toContain(bad.id));
    const [letter] = (await b.deadLetters.list()).filter((l) => l.event.id === bad.id);
    expect(letter.consumer).toBe(inboundConsumerName(REMOTE_QUEUE));
    expect(letter.error).toMatch(/payload does not match/);
    expect((await receiverPool.query('SELECT count(*)::int AS n FROM "messaging"."outbox" WHERE id = $1', [bad.id])).rows[0].n).toBe(0);
  });

  it('refuses an event that is both inbound and outbound', async () => {
    await expect(startProcess(receiver, MessagingModule.forRoot({ ...inbound, ...outbound }))).rejects.toThrow(/both inbound and outbound/);
  });
});
