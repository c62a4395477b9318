import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { PG_POOL } from '@bitro/db';
import type { Pool } from 'pg';
import { PrismaClient } from '../generated/prisma/client';

/** The admin back office's Prisma client, on the process's shared PostgreSQL pool. */
@Injectable()
export class AdminPrisma extends PrismaClient implements OnModuleDestroy {
  constructor(@Inject(PG_POOL) pool: Pool) {
    super({ adapter: new PrismaPg(pool) });
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}
