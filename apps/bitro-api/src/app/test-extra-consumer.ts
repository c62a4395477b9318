import { Inject, Injectable, type Provider } from '@nestjs/common';
import type { BitroEnv } from '@bitro/config';
import { PG_POOL } from '@bitro/db';
import { type EventHandler, EventSubscriber, on, pgTransaction, type SqlExecutor } from '@bitro/messaging';
import { redemptionApprovedV1 } from '@bitro/service-api';
import type { Pool } from 'pg';

/**
 * TEST ONLY: a consumer that a newer version could add, for the fault drill in which a worker is replaced by one with a
 * new consumer (apps/fault-drills). It does nothing with approved redemptions; its inbox rows show which it received.
 */
@Injectable()
@EventSubscriber()
export class TestExtraConsumer implements EventSubscriber {
  readonly consumer = 'test-extra';
  readonly handlers: ReadonlyArray<EventHandler> = [on(redemptionApprovedV1, async () => undefined)];

  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return pgTransaction(this.pool, work);
  }
}

/** The test-only consumer, when BITRO_TEST_EXTRA_CONSUMER=true outside production (read here only, never documented as a setting). */
export function testExtraConsumers(env: BitroEnv): Provider[] {
  return env.NODE_ENV !== 'production' && process.env['BITRO_TEST_EXTRA_CONSUMER'] === 'true' ? [TestExtraConsumer] : [];
}
