import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { PG_POOL } from '@bitro/db';
import type { Pool } from 'pg';
import { type Prisma, PrismaClient } from '../generated/prisma/client';

/** The user domain's Prisma client, on the process's shared PostgreSQL pool. */
@Injectable()
export class UserPrisma extends PrismaClient implements OnModuleDestroy {
  constructor(
    /** The same pool, for the few hot reads that skip the ORM as named statements (ADR 0027). */
    @Inject(PG_POOL) readonly pool: Pool,
  ) {
    super({ adapter: new PrismaPg(pool) });
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}

export { Prisma, type User } from '../generated/prisma/client';

/** The client or one of its interactive transactions. */
export type UserDb = Pick<UserPrisma, 'user' | 'refreshToken' | 'recoveryCode' | 'emailVerification'>;

/** An interactive transaction of the user domain's Prisma client. */
export type UserTx = Prisma.TransactionClient;
