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
import { signMessage } from './message-signing';
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
  const env = testEnv(database, redis, { BITRO_ROLES: 'worker,scheduler', OUTBOX_RELAY_INTERVAL_MS: '50', EVENT_MAX_ATTEMPTS: '2', EVENT_BACKOFF_MS: '50', EVENT_REDELIVERY_AFTER_MS: '1000' });
  const moduleRef = await Test.createTestingModule({ imports: [ConfigModule.forRoot(env), DbModule, messaging], providers }).compile();
  moduleRef.useLogger(false);
  await moduleRef.init();
  onTestFinished(() => moduleRef.close());
  return { outbox: moduleRef.get(Outbox), queues: moduleRef.get(MessagingQueues), deadLetters: moduleRef.get(DeadLetters) };
}

const SECRET = 's'.repeat(32);
const outbound: MessagingRoutes = { outbound: [ordered], secrets: [SECRET] };
const inbound: MessagingRoutes = { inbound: [{ queue: REMOTE_QUEUE, events: [ordered] }], secrets: [SECRET] };

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
    // Only an append's commit notifies; without this the relay would find the row at its next safety-net poll (10 s).
    await senderPool.query(`SELECT pg_notify('messaging_outbox', '')`);
    await a.queues.deliver(REMOTE_QUEUE, [{ jobId: `again-${event.id}`, name: event.name, data: signMessage([SECRET], REMOTE_QUEUE, event) }]);
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
    await a.queues.deliver(REMOTE_QUEUE, [{ jobId: bad.id, name: bad.name, data: signMessage([SECRET], REMOTE_QUEUE, bad) }]);
    await waitFor(async () => expect((await b.deadLetters.list()).map((letter) => letter.event.id)).toContain(bad.id));
    const [letter] = (await b.deadLetters.list()).filter((l) => l.event.id === bad.id);
    expect(letter.consumer).toBe(inboundConsumerName(REMOTE_QUEUE));
    expect(letter.error).toMatch(/payload does not match/);
    expect((await receiverPool.query('SELECT count(*)::int AS n FROM "messaging"."outbox" WHERE id = $1', [bad.id])).rows[0].n).toBe(0);
  });

  it('refuses a message that is unsigned or signed with another secret, and keeps it signed as it came', async () => {
    const a = await startProcess(sender, MessagingModule.forRoot(outbound));
    const b = await startProcess(receiver, MessagingModule.forRoot(inbound), [OrderTaker]);
    const forged = { id: '00000000-0000-4000-8000-000000000002', name: ordered.name, occurredAt: new Date().toISOString(), payload: { key: 'forged' } };
    const otherSecret = signMessage(['x'.repeat(32)], REMOTE_QUEUE, { ...forged, id: '00000000-0000-4000-8000-000000000003' });
    await a.queues.deliver(REMOTE_QUEUE, [
      { jobId: 'unsigned', name: forged.name, data: forged as never },
      { jobId: 'other-secret', name: forged.name, data: otherSecret },
    ]);
    const errorsOf = async (ids: string[]) => (await b.deadLetters.list()).filter((letter) => ids.includes(letter.event.id)).map((letter) => letter.error).sort();
    // An unsigned message has no readable id: its dead letter carries the nil uuid.
    const ids = ['00000000-0000-0000-0000-000000000000', '00000000-0000-4000-8000-000000000003'];
    await waitFor(async () => expect(await errorsOf(ids)).toEqual([expect.stringMatching(/does not verify/), expect.stringMatching(/unsigned/)]));
    expect(await orders('forged')).toBe(0);
    // Resubmitted, the message is checked again: still refused.
    const letter = (await b.deadLetters.list()).find((dead) => /does not verify/.test(dead.error)) ?? expect.unreachable('no dead letter');
    await b.deadLetters.resubmit(letter.id);
    await waitFor(async () => expect((await b.deadLetters.list()).filter((dead) => /does not verify/.test(dead.error))).toHaveLength(1));
    expect(await orders('forged')).toBe(0);
  });

  it('completes the sender\'s publication when the receiver acknowledges, and sends again what Redis lost', async () => {
    const a = await startProcess(sender, MessagingModule.forRoot(outbound));
    await a.queues.queue(REMOTE_QUEUE).pause();
    const event = await pgTransaction(senderPool, (tx) => a.outbox.append(tx, ordered, { key: 'lost-message' }));
    await waitFor(async () => expect(await a.queues.queue(REMOTE_QUEUE).getJobCountByTypes('wait')).toBe(1));
    await redis.clear();
    await startProcess(receiver, MessagingModule.forRoot(inbound), [OrderTaker]);
    await vi.waitFor(async () => expect(await orders('lost-message')).toBe(1), { timeout: 15_000, interval: 50 });
    await waitFor(async () => {
      const { rows } = await senderPool.query('SELECT deliveries, completed_at IS NOT NULL AS completed FROM "messaging"."publications" WHERE event_id = $1', [event.id]);
      expect(rows).toEqual([{ deliveries: 2, completed: true }]);
    });
  });

  it('refuses an event that is both inbound and outbound', async () => {
    await expect(startProcess(receiver, MessagingModule.forRoot({ ...inbound, ...outbound }))).rejects.toThrow(/both inbound and outbound/);
  });
});
