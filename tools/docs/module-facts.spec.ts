import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectEnvDefaults, describeInterval } from './intervals.mjs';
import { parsePrismaSchema } from './prisma-schema.mjs';
import { readStaticFacts } from './static-facts.mjs';

/**
 * A small workspace written to a temporary directory: a contract library, two shared building blocks, two domains
 * and an app, using the constructs the facts are read from (aliases, barrels, renamed and namespace imports).
 */
const FILES: Record<string, string> = {
  'tsconfig.base.json': JSON.stringify({
    compilerOptions: {
      paths: {
        '@fx/contracts': ['./libs/contracts/src/index.ts'],
        '@fx/messaging': ['./libs/shared/messaging/src/index.ts'],
        '@fx/db': ['./libs/shared/db/src/index.ts'],
        '@fx/shop': ['./libs/shop/src/index.ts'],
        '@fx/store': ['./libs/store/src/index.ts'],
      },
    },
  }),
  'libs/contracts/project.json': JSON.stringify({ name: 'contracts', sourceRoot: 'libs/contracts/src', tags: ['type:service-api'] }),
  'libs/contracts/src/index.ts': "export * from './shop/shop.events';\nexport * from './store/store.api';\n",
  'libs/contracts/src/shop/shop.events.ts': `import { z } from 'zod';
function defineEvent(name: string, payload: z.ZodType) { return { name, payload }; }
export const shopOrderedV1 = defineEvent('shop.ordered.v1', z.object({ orderId: z.uuid() }));
export const shopPaidV1 = defineEvent('shop.paid.v1', z.object({ orderId: z.uuid() }));
export const NOT_AN_EVENT = 'shop.ordered';
`,
  'libs/contracts/src/store/store.api.ts': "export const STORE_API = Symbol.for('fx.StoreApi');\nexport const SHOP_API = Symbol.for('fx.ShopApi');\n",
  'libs/contracts/src/testing/stand-ins.ts': "export const TEST_API = Symbol.for('fx.TestApi');\n",
  'libs/shared/messaging/project.json': JSON.stringify({ name: 'messaging', sourceRoot: 'libs/shared/messaging/src', tags: ['type:shared'] }),
  'libs/shared/messaging/src/index.ts': "export { on, handlersIn } from './handlers';\nexport * from './subscriber';\nexport { RepeatingJob } from './repeating-job';\n",
  'libs/shared/messaging/src/handlers.ts': 'export function on(event: unknown, handle: unknown) { return { event, handle }; }\nexport function handlersIn<T>() { return on; }\n',
  'libs/shared/messaging/src/subscriber.ts': 'export function EventSubscriber(): ClassDecorator { return () => undefined; }\n',
  'libs/shared/messaging/src/repeating-job.ts': 'export abstract class RepeatingJob { protected constructor(settings: unknown, options: unknown) {} }\n',
  'libs/shared/db/project.json': JSON.stringify({ name: 'db', sourceRoot: 'libs/shared/db/src', tags: ['type:shared'] }),
  'libs/shared/db/src/index.ts': "export class Poller { constructor(options: unknown) {} }\nexport * from './env';\n",
  'libs/shared/db/src/env.ts': 'export const envSchema = z.object({ SHOP_SWEEP_MS: positiveInt.default(30_000), NAME: z.string().default("x") });\n',
  'libs/store/project.json': JSON.stringify({ name: 'store', sourceRoot: 'libs/store/src', tags: ['type:domain'] }),
  'libs/store/src/index.ts': "export { StoreModule } from './store.module';\n",
  'libs/store/src/store.module.ts': `import { Module } from '@nestjs/common';
import { STORE_API } from '@fx/contracts';
@Module({ providers: [{ provide: STORE_API, useClass: StoreApiService }], exports: [STORE_API] })
export class StoreModule {}
`,
  'libs/store/src/events/store.consumer.ts': `import { EventSubscriber, handlersIn } from '@fx/messaging';
import * as contracts from '@fx/contracts';
const onTx = handlersIn<unknown>();
@EventSubscriber()
export class StoreConsumer {
  readonly consumer = 'store';
  readonly handlers = [onTx(contracts.shopOrderedV1, async (event) => this.reserve(event))];
  constructor(private readonly outbox: { append(...args: unknown[]): Promise<void> }) {}
  private async reserve(event: unknown) {
    await this.outbox.append(undefined, contracts.shopPaidV1, event);
  }
}
`,
  'libs/store/src/features/stock/stock-count.schedule.ts': `import { Inject } from '@nestjs/common';
import { RepeatingJob } from '@fx/messaging';
const QUEUE = 'store-stock-count';
const EVERY_MS = 15 * 60_000;
export class StockCountSchedule extends RepeatingJob {
  constructor(@Inject(SETTINGS) settings: unknown) {
    super(settings, { queue: QUEUE, schedulerId: 'store-count-stock', everyMs: EVERY_MS, label: 'Stock count', run: () => undefined });
  }
}
`,
  'libs/store/src/store.spec.ts': "import { SHOP_API } from '@fx/contracts';\nmodule.get(SHOP_API);\n",
  'libs/store/test/store.spec.ts': "import { SHOP_API } from '@fx/contracts';\nmodule.get(SHOP_API);\n",
  'libs/shop/project.json': JSON.stringify({ name: 'shop', sourceRoot: 'libs/shop/src', tags: ['type:domain'] }),
  'libs/shop/src/index.ts': "export { ShopModule } from './shop.module';\n",
  'libs/shop/src/shop.module.ts': `import { Module } from '@nestjs/common';
import { SHOP_API } from '@fx/contracts';
export class ShopModule {
  static register() {
    return { module: ShopModule, providers: [{ provide: SHOP_API, inject: [SHOP_API], useFactory: () => ({}) }] };
  }
}
`,
  'libs/shop/src/features/orders/orders.controller.ts': `import { Controller, Inject } from '@nestjs/common';
import { STORE_API as Store, shopOrderedV1 } from '@fx/contracts';
import { Poller } from '@fx/db';
@Controller('orders')
export class OrdersController {
  private readonly sweep = new Poller({ name: 'OrderSweep', intervalMs: env.SHOP_SWEEP_MS, run: () => undefined });
  constructor(@Inject(Store) private readonly store: unknown, private readonly outbox: { append(...args: unknown[]): Promise<void> }) {}
  async order(tx: unknown) {
    await this.outbox.append(tx, shopOrderedV1, { orderId: 'x' });
  }
}
`,
  'libs/shop/src/events/paid.ts': "import { on } from '@fx/messaging';\nimport { shopPaidV1 } from '@fx/contracts';\nexport const paid = on(shopPaidV1, async () => undefined);\n",
  'apps/api/project.json': JSON.stringify({ name: 'api', sourceRoot: 'apps/api/src', tags: ['type:app'] }),
  'apps/api/src/main.ts': "import { ShopModule } from '@fx/shop';\nimport { StoreModule } from '@fx/store';\nimport { STORE_API } from '@fx/contracts';\nexport const store = app.get<unknown>(STORE_API);\n",
};

let root = '';

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'bitro-module-facts-'));
  for (const [path, content] of Object.entries(FILES)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('readStaticFacts', () => {
  it('finds the event contracts and tokens of the contract libraries (not their test stand-ins)', () => {
    const { catalog } = readStaticFacts(root);
    expect([...catalog.eventsByName.keys()].sort()).toEqual(['shop.ordered.v1', 'shop.paid.v1']);
    expect([...catalog.tokens.values()].map((t) => t.name).sort()).toEqual(['SHOP_API', 'STORE_API']);
  });

  it("reads each domain's and app's boundary through aliases, barrels, renamed and namespace imports", () => {
    const { facts } = readStaticFacts(root);
    expect([...facts.keys()].sort()).toEqual(['api', 'shop', 'store']);
    const place = (file: string, line: number) => ({ file, line });

    const store = facts.get('store');
    expect(store?.provides).toEqual([{ token: 'STORE_API', implementation: 'StoreApiService', ...place('libs/store/src/store.module.ts', 3) }]);
    expect(store?.injects).toEqual([]); // its own token, and the tests' uses, do not count
    expect(store?.consumes).toEqual([{ event: 'shop.ordered.v1', subscriber: 'StoreConsumer', consumer: 'store', ...place('libs/store/src/events/store.consumer.ts', 7) }]);
    expect(store?.publishes).toEqual([{ event: 'shop.paid.v1', ...place('libs/store/src/events/store.consumer.ts', 10) }]);
    expect(store?.subscribers).toEqual([{ className: 'StoreConsumer', consumer: 'store', ...place('libs/store/src/events/store.consumer.ts', 4) }]);
    expect(store?.schedules).toEqual([
      { kind: 'repeating job', className: 'StockCountSchedule', name: 'store-count-stock', every: '15 * 60_000', queue: 'store-stock-count', ...place('libs/store/src/features/stock/stock-count.schedule.ts', 7) },
    ]);

    const shop = facts.get('shop');
    expect(shop?.provides.map((p) => [p.token, p.implementation])).toEqual([['SHOP_API', '(factory)']]);
    expect(shop?.injects.map((i) => i.token)).toEqual(['STORE_API']);
    expect(shop?.publishes.map((p) => p.event)).toEqual(['shop.ordered.v1']);
    expect(shop?.consumes).toEqual([{ event: 'shop.paid.v1', subscriber: null, consumer: null, ...place('libs/shop/src/events/paid.ts', 3) }]);
    expect(shop?.controllers).toEqual([{ className: 'OrdersController', file: 'libs/shop/src/features/orders/orders.controller.ts', absoluteFile: join(root, 'libs/shop/src/features/orders/orders.controller.ts') }]);
    expect(shop?.schedules.map((s) => [s.kind, s.className, s.name, s.every])).toEqual([['timer', 'OrdersController', 'OrderSweep', 'env.SHOP_SWEEP_MS']]);

    const api = facts.get('api');
    expect(api?.injects.map((i) => i.token)).toEqual(['STORE_API']);
    expect(api?.dependsOn).toEqual(['contracts', 'shop', 'store']);
  });

  it('describes intervals with the env defaults of the shared libraries', () => {
    const { workspace, index } = readStaticFacts(root);
    const defaults = collectEnvDefaults(workspace, index);
    expect(defaults).toEqual(new Map([['SHOP_SWEEP_MS', 30_000]]));
    expect(describeInterval('env.SHOP_SWEEP_MS', defaults)).toBe('`SHOP_SWEEP_MS` (default 30 s)');
    expect(describeInterval('15 * 60_000', defaults)).toBe('15 min');
    expect(describeInterval('1_500', defaults)).toBe('1500 ms');
    expect(describeInterval('this.options.scanIntervalMs', defaults)).toBe('`this.options.scanIntervalMs`');
  });
});

describe('parsePrismaSchema', () => {
  it("reads the Postgres schemas, each model's table and the enums", () => {
    const facts = parsePrismaSchema(`
datasource db {
  provider = "postgresql"
  schemas  = ["shop"]
}
// model Commented { id Int }
enum OrderStatus {
  open
  @@schema("shop")
}
/// An order.
model Order {
  id     String @id @default(uuid())
  status OrderStatus
  @@map("orders")
  @@schema("shop")
}
model Line {
  id String @id
  @@schema("shop")
}
`);
    expect(facts).toEqual({
      schemas: ['shop'],
      tables: [
        { schema: 'shop', table: 'orders', model: 'Order' },
        { schema: 'shop', table: 'Line', model: 'Line' },
      ],
      enums: [{ schema: 'shop', name: 'OrderStatus' }],
    });
  });
});
