import { randomUUID } from 'node:crypto';
import { Body, type CanActivate, Controller, Inject, Injectable, Module, UseGuards } from '@nestjs/common';
import { type AccessClaims, Principal } from '@bitro/auth';
import { PG_POOL } from '@bitro/db';
import { type BodyOf, defineRoute, Route } from '@bitro/http';
import { type EventHandler, EventSubscriber, newEvent, on, Outbox, pgTransaction, type SqlExecutor } from '@bitro/messaging';
import { AUDIT_API, type AuditApi, defineEvent, USER_API, type UserApi } from '@bitro/service-api';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RecordingAudit } from '../recording-audit';
import { type ModuleTest, startModuleTest } from './start-module-test';

// A tiny domain: a route that records a ping (audited, announced), and a consumer that answers a ping with a pong.
const pingSentV1 = defineEvent('harness.ping-sent.v1', z.object({ key: z.string() }));
const pingRecordedV1 = defineEvent('harness.ping-recorded.v1', z.object({ key: z.string(), by: z.string() }));
const pongSentV1 = defineEvent('harness.pong-sent.v1', z.object({ key: z.string() }));

const recordPingRoute = defineRoute({
  method: 'POST',
  path: '/v1/harness/pings',
  summary: 'Records a ping',
  tag: 'harness',
  access: 'user',
  body: z.object({ key: z.string().min(1) }),
  responses: { 201: { description: 'Recorded', schema: z.object({ key: z.string() }) } },
});

@Injectable()
class Pings {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(AUDIT_API) private readonly audit: AuditApi,
    private readonly outbox: Outbox,
  ) {}

  record(key: string, by: string): Promise<void> {
    return pgTransaction(this.pool, async (tx) => {
      await tx.$executeRawUnsafe('INSERT INTO harness.pings (key, by) VALUES ($1, $2)', key, by);
      await this.audit.record(tx, { action: 'ping.record', actorId: by, subject: `ping:${key}` });
      await this.outbox.append(tx, pingRecordedV1, { key, by });
    });
  }
}

@Controller()
class PingController {
  constructor(private readonly pings: Pings) {}

  @Route(recordPingRoute)
  async record(@Principal() principal: AccessClaims, @Body() body: BodyOf<typeof recordPingRoute>): Promise<{ key: string }> {
    await this.pings.record(body.key, principal.sub);
    return { key: body.key };
  }
}

@Injectable()
@EventSubscriber()
class HarnessConsumer implements EventSubscriber {
  readonly consumer = 'harness';
  readonly handlers: ReadonlyArray<EventHandler> = [
    on(pingSentV1, async (event, tx) => {
      await tx.$executeRawUnsafe('INSERT INTO harness.pongs (key) VALUES ($1)', event.payload.key);
      await this.outbox.append(tx, pongSentV1, { key: event.payload.key });
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

@Module({ controllers: [PingController], providers: [Pings, HarnessConsumer] })
class HarnessModule {}

describe('startModuleTest', () => {
  const audit = new RecordingAudit();
  let mod: ModuleTest;

  const pongs = async (key: string) =>
    (await mod.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM harness.pongs WHERE key = $1', [key])).rows[0]?.n ?? 0;
  const ping = (key: string, token = mod.token()) => mod.request('POST', '/v1/harness/pings', { token, body: { key } });

  beforeAll(async () => {
    mod = await startModuleTest({ module: HarnessModule, stubs: [{ provide: AUDIT_API, useValue: audit }], http: true });
    await mod.pool.query('CREATE SCHEMA harness; CREATE TABLE harness.pings (key text PRIMARY KEY, by text NOT NULL); CREATE TABLE harness.pongs (key text NOT NULL)');
  });

  afterAll(async () => {
    await mod?.close();
  });

  it('names every service-api token the module injects but no stub provides, before it starts anything', async () => {
    await expect(startModuleTest({ module: HarnessModule })).rejects.toThrow(
      "HarnessModule injects AUDIT_API (from another domain's service-api) but the module test has no stub for it: pass stubs: [{ provide: AUDIT_API, useValue: ... }]\n" +
        '  AUDIT_API is injected by Pings',
    );

    @Injectable()
    class Greeter {
      constructor(@Inject(USER_API) readonly users: UserApi) {}
    }
    @Module({ imports: [HarnessModule], providers: [Greeter] })
    class Outer {}
    await expect(startModuleTest({ module: Outer })).rejects.toThrow(
      "Outer injects AUDIT_API and USER_API (from other domains' service-api) but the module test has no stub for them: " +
        'pass stubs: [{ provide: AUDIT_API, useValue: ... }, { provide: USER_API, useValue: ... }]',
    );
  });

  it("says the same when Nest finds a missing token that reading the module's providers could not", async () => {
    @Injectable()
    class FrozenUsersGuard implements CanActivate {
      constructor(@Inject(USER_API) private readonly users: UserApi) {}
      canActivate(): boolean {
        return this.users !== undefined;
      }
    }
    @Controller()
    @UseGuards(FrozenUsersGuard)
    class GuardedController {}
    @Module({ controllers: [GuardedController] })
    class GuardedModule {}

    await expect(startModuleTest({ module: GuardedModule })).rejects.toThrow(
      "GuardedModule injects USER_API (from another domain's service-api) but the module test has no stub for it: pass stubs: [{ provide: USER_API, useValue: ... }]",
    );
  });

  it('serves the module with the apps’ HTTP conventions, behind the access guard', async () => {
    expect((await mod.request('POST', '/v1/harness/pings', { body: { key: 'k' } })).status).toBe(401);
    const invalid = await ping('');
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('waits for the event a request appends to the outbox, and only for one appended after the stimulus began', async () => {
    const userId = randomUUID();
    const token = mod.token({ userId });
    expect((await ping(`before-${userId}`, token)).status).toBe(201);

    const key = `after-${userId}`;
    const event = await mod
      .scenario()
      .stimulate(() => ping(key, token))
      .andWaitForEvent(pingRecordedV1, (payload) => payload.by === userId);

    expect(event).toMatchObject({ name: 'harness.ping-recorded.v1', payload: { key, by: userId } });
    expect(audit.actions).toContainEqual({ action: 'ping.record', actorId: userId, subject: `ping:${key}` });
  });

  it('hands an event to the consumer, which changes the state it is polled for', async () => {
    const key = randomUUID();
    const count = await mod
      .scenario()
      .stimulate(() => mod.deliver(pingSentV1, { key }))
      .andWaitForStateChange(
        () => pongs(key),
        (n) => n === 1,
      );
    expect(count).toBe(1);

    const event = await mod
      .scenario()
      .stimulate(() => mod.deliver(pingSentV1, { key: `${key}-2` }))
      .andWaitForEvent(pongSentV1, (payload) => payload.key === `${key}-2`);
    expect(event.payload).toEqual({ key: `${key}-2` });
  });

  it('delivers an event once: a redelivery is not handled', async () => {
    const event = newEvent(pingSentV1, { key: randomUUID() });
    expect(await mod.deliver(event)).toBe(true);
    expect(await mod.deliver(event)).toBe(false);
    expect(await pongs(event.payload.key)).toBe(1);
  });

  it('refuses to deliver an event the module does not consume, naming what it does', async () => {
    await expect(mod.deliver(pongSentV1, { key: 'x' })).rejects.toThrow(
      'HarnessModule has no event consumer for harness.pong-sent.v1; its consumers: "harness" handles harness.ping-sent.v1.',
    );
  });

  it('fails a wait for an event readably: the timeout, and what did arrive', async () => {
    const userId = randomUUID();
    const key = `unmatched-${userId}`;
    await expect(
      mod
        .scenario()
        .stimulate(() => ping(key, mod.token({ userId })))
        .andWaitForEvent(pingRecordedV1, (payload) => payload.by === 'somebody else', { timeoutMs: 100 }),
    ).rejects.toThrow(
      'Timed out after 100 ms waiting for harness.ping-recorded.v1 matching the predicate: none of the 1 harness.ping-recorded.v1 events appended ' +
        `to the outbox after the stimulus matched:\n  - {"key":"${key}","by":"${userId}"}`,
    );

    // The delivered event itself is not counted: only what the module appended.
    await expect(
      mod
        .scenario()
        .stimulate(() => mod.deliver(pingSentV1, { key: randomUUID() }))
        .andWaitForEvent(pingSentV1, undefined, { timeoutMs: 100 }),
    ).rejects.toThrow(
      'Timed out after 100 ms waiting for harness.ping-sent.v1: no harness.ping-sent.v1 was appended to the outbox after the stimulus (other events were: harness.pong-sent.v1 ×1).',
    );
  });

  it('fails a wait for a state change readably: the timeout, and the last value seen', async () => {
    const key = randomUUID();
    await expect(
      mod
        .scenario()
        .stimulate(() => undefined)
        .andWaitForStateChange(
          () => pongs(key),
          (n) => n > 0,
          { timeoutMs: 100, description: `a pong for ${key}` },
        ),
    ).rejects.toThrow(`Timed out after 100 ms waiting for a pong for ${key}: the last value seen was 0.`);
  });
});

describe('startModuleTest without HTTP', () => {
  it('boots the module for its providers and events alone', async () => {
    const mod = await startModuleTest({ module: HarnessModule, stubs: [{ provide: AUDIT_API, useValue: new RecordingAudit() }] });
    try {
      expect(mod.get(HarnessConsumer).consumer).toBe('harness');
      expect(mod.env.BITRO_ROLES).toEqual(['http']);
      expect(() => mod.url).toThrow('The module test is not served over HTTP: start it with `http: true`.');
    } finally {
      await mod.close();
    }
  });
});
