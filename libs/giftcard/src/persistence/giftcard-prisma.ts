import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { PG_POOL } from '@bitro/db';
import type { Pool } from 'pg';
import { type Prisma, PrismaClient } from '../generated/prisma/client';

/** The gift-card domain's Prisma client, on the process's shared PostgreSQL pool. */
@Injectable()
export class GiftcardPrisma extends PrismaClient implements OnApplicationShutdown {
  constructor(
    /** The same pool, for what skips the ORM: the redemption request's statements (ADR 0031), the processor's and the consumer's transactions (ADR 0036, 0038). */
    @Inject(PG_POOL) readonly pool: Pool,
  ) {
    super({ adapter: new PrismaPg(pool) });
  }

  // Not on module destroy: event handlers and the retry job still run until beforeApplicationShutdown.
  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
  }
}

export { Prisma, type Brand, type IdempotencyKey, type Redemption, RedemptionState } from '../generated/prisma/client';

/** A transaction of the gift-card domain: what its use cases and its consumer's handlers write through. */
export type GiftcardTx = Prisma.TransactionClient;

/** A `@db.Date` as Prisma reads it (midnight UTC), as the date it stands for, for raw statements. */
export const isoDay = (day: Date): string => day.toISOString().slice(0, 10);
