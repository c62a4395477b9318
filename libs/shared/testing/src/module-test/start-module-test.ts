import { randomUUID } from 'node:crypto';
import { type DynamicModule, type INestApplicationContext, type InjectionToken, Module, type Provider, type Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AccessTokens, AuthModule } from '@bitro/auth';
import { type BitroEnv, ConfigModule } from '@bitro/config';
import { DbModule, PG_POOL } from '@bitro/db';
import { type DomainEvent, type EventContractLike, MessagingModule, type MessagingRoutes } from '@bitro/messaging';
import type { Pool } from 'pg';
import type { z } from 'zod';
import { HTTP_CONVENTIONS, listenForTests } from '../http-test-app';
import { type JsonResponse, requestJson } from '../request-json';
import { createTestDatabase, type TestDatabase } from '../test-database';
import { testEnv } from '../test-env';
import { createTestRedisNamespace, type TestRedisNamespace } from '../test-redis';
import { EventDelivery } from './event-delivery';
import { assertStubbed, explainUnresolved, type ImportableModule, moduleName } from './missing-stubs';
import { OutboxReader } from './outbox-reader';
import { Scenario, type WaitOptions } from './scenario';

export interface ModuleTestOptions {
  /** The one domain module under test. */
  module: Type | DynamicModule;
  /**
   * Providers for what the application would give the module from elsewhere: every service-api token it injects from
   * another domain (a missing one fails the start, naming it), and anything else global (e.g. PRICE_FEED).
   */
  stubs?: Provider[];
  /** BitroEnv values over testEnv(...)'s; BITRO_ROLES is `http` (no workers, no schedules) unless given. */
  env?: Record<string, string>;
  /** Serve the module on a random local port with the apps' HTTP conventions. */
  http?: boolean;
  /** Further modules the application would import for it (e.g. PriceFeedModule). */
  imports?: ImportableModule[];
  /** Providers of the module (or of `imports`) to replace, as `overrideProvider(provide).useValue(useValue)`. */
  overrides?: Array<{ provide: InjectionToken; useValue: unknown }>;
  /** Messaging as `MessagingModule.forRoot(routes)` (events to and from another process); default `MessagingModule`. */
  messaging?: MessagingRoutes;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** A body sent as it is (content-type JSON unless `headers` say otherwise), e.g. malformed JSON. */
  rawBody?: string;
}

/** Global in the module test as the other domains' modules are in the application. */
@Module({})
class StubbedDomains {
  static of(stubs: Provider[]): DynamicModule {
    return { module: StubbedDomains, global: true, providers: stubs, exports: stubs.map((stub) => (typeof stub === 'function' ? stub : stub.provide)) };
  }
}

/** A domain module running on a database and a Redis namespace of its own; see {@link startModuleTest}. */
export class ModuleTest {
  private closed = false;

  constructor(
    /** The running module: a NestFastifyApplication when served over HTTP, the compiled testing module otherwise. */
    readonly app: INestApplicationContext,
    readonly env: BitroEnv,
    readonly database: TestDatabase,
    readonly redis: TestRedisNamespace,
    private readonly served: string | undefined,
    private readonly delivery: EventDelivery,
  ) {}

  /** The module's PostgreSQL pool, on the test database. */
  get pool(): Pool {
    return this.app.get(PG_POOL);
  }

  /** Where the module is served (`http: true`). */
  get url(): string {
    if (this.served === undefined) throw new Error('The module test is not served over HTTP: start it with `http: true`.');
    return this.served;
  }

  /** A provider of the module (or any module of the test), e.g. `get(WithdrawalReview)` or `get(WALLET_API)`. */
  get<T>(token: InjectionToken<T>): T {
    return this.app.get<T>(token as never, { strict: false });
  }

  /** A signed access token, of a new user unless `userId` is given. */
  token({ role = 'user', userId = randomUUID() }: { role?: 'user' | 'admin'; userId?: string } = {}): string {
    return this.get(AccessTokens).sign({ sub: userId, role, sid: randomUUID() });
  }

  /** A JSON request to the served module; the answer's body parsed whatever its status. */
  request<T = Record<string, unknown>>(method: string, path: string, options: RequestOptions = {}): Promise<JsonResponse<T>> {
    return requestJson<T>(this.url, method, path, options);
  }

  /**
   * An incoming event, handled by the module's consumer(s) exactly as a delivery would be (committed to the outbox,
   * then the inbox claim and the handler in the consumer's transaction): `deliver(contract, payload)`, or
   * `deliver(newEvent(...))` to deliver the same event again. False when it had been handled already.
   */
  deliver<C extends EventContractLike>(contract: C, payload: z.input<C['payload']>): Promise<boolean>;
  deliver(event: DomainEvent): Promise<boolean>;
  deliver<C extends EventContractLike>(contractOrEvent: C | DomainEvent, payload?: z.input<C['payload']>): Promise<boolean> {
    return this.delivery.deliver(contractOrEvent, payload);
  }

  /** The events of `contract` in the outbox, oldest first (those handed in by `deliver` included). */
  events<C extends EventContractLike>(contract: C): Promise<Array<DomainEvent<z.output<C['payload']>>>> {
    return new OutboxReader(this.pool).events(contract);
  }

  /** `scenario().stimulate(() => ...).andWaitForEvent(...)` or `.andWaitForStateChange(...)`; `defaults` for its waits. */
  scenario(defaults: WaitOptions = {}): Scenario {
    return new Scenario(new OutboxReader(this.pool), this.delivery.delivered, defaults);
  }

  /** Closes the module, drops its database and clears its Redis namespace. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.app.close();
    } finally {
      await Promise.all([this.database.drop(), this.redis.clear()]);
    }
  }
}

/**
 * Boots ONE domain module as the application wires it (config, database, auth, messaging: all global) on a database
 * cloned from the migrated template and a Redis namespace of its own, with `stubs` for what other domains provide.
 * Fails before anything starts when the module injects a service-api token that nothing in the test provides.
 */
export async function startModuleTest(options: ModuleTestOptions): Promise<ModuleTest> {
  const { module, stubs = [], imports = [], overrides = [], http = false } = options;
  await assertStubbed(module, imports, stubs);
  const database = await createTestDatabase();
  const redis = createTestRedisNamespace();
  let started: INestApplicationContext | undefined;
  try {
    const env = testEnv(database, redis, { BITRO_ROLES: 'http', ...options.env });
    let builder = Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(env),
        DbModule,
        AuthModule,
        options.messaging ? MessagingModule.forRoot(options.messaging) : MessagingModule,
        StubbedDomains.of(stubs),
        ...imports,
        module,
      ],
      providers: http ? HTTP_CONVENTIONS : [],
    });
    for (const { provide, useValue } of overrides) builder = builder.overrideProvider(provide).useValue(useValue);
    const moduleRef = await builder.compile().catch((error: unknown) => {
      throw explainUnresolved(error, module);
    });
    started = moduleRef;
    if (!http) {
      await moduleRef.init();
      return new ModuleTest(moduleRef, env, database, redis, undefined, new EventDelivery(moduleRef, moduleName(module)));
    }
    const { app, url } = await listenForTests(moduleRef, { bodyLimit: env.BODY_LIMIT_BYTES });
    return new ModuleTest(app, env, database, redis, url, new EventDelivery(app, moduleName(module)));
  } catch (error) {
    await started?.close().catch(() => undefined);
    await Promise.all([database.drop(), redis.clear()]);
    throw error;
  }
}
