import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { PG_POOL } from '@bitro/db';
import type { Pool } from 'pg';
import { type Prisma, PrismaClient } from '../generated/prisma/client';

/** The user domain's Prisma client, on the process's shared PostgreSQL pool. */
@Injectable()
export class UserPrisma extends PrismaClient implements OnModuleDestroy {
  constructor(@Inject(PG_POOL) pool: Pool) {
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
