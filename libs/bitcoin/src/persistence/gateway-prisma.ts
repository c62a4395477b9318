import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { PG_POOL } from '@bitro/db';
import type { Pool } from 'pg';
import { PrismaClient } from '../generated/prisma/client';

/** The gateway's Prisma client (schema "gateway"), on the gateway process's PostgreSQL pool. */
@Injectable()
export class GatewayPrisma extends PrismaClient implements OnModuleDestroy {
  constructor(@Inject(PG_POOL) pool: Pool) {
    super({ adapter: new PrismaPg(pool) });
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}

export type { DepositAddress } from '../generated/prisma/client';
