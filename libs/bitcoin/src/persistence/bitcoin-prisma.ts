import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { PG_POOL } from '@bitro/db';
import type { Pool } from 'pg';
import { type Prisma, PrismaClient } from '../generated/prisma/client';

/** The gateway's Prisma client (schema "gateway"), on the gateway process's PostgreSQL pool. */
@Injectable()
export class BitcoinPrisma extends PrismaClient implements OnModuleDestroy {
  constructor(@Inject(PG_POOL) pool: Pool) {
    super({ adapter: new PrismaPg(pool) });
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}

/** A transaction of the gateway's Prisma client: what its event handlers and use cases write in. */
export type BitcoinTx = Prisma.TransactionClient;

export type { DepositAddress } from '../generated/prisma/client';
