import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { PG_POOL } from '@bitro/db';
import type { Pool } from 'pg';
import { type Prisma, PrismaClient } from '../generated/prisma/client';

/** An interactive transaction of the notification domain's Prisma client. */
export type NotificationTx = Prisma.TransactionClient;

/** The notification domain's Prisma client, on the process's shared PostgreSQL pool. */
@Injectable()
export class NotificationPrisma extends PrismaClient implements OnModuleDestroy {
  constructor(
    /** The same pool, for the consumer's transactions and their named statements (ADR 0036). */
    @Inject(PG_POOL) readonly pool: Pool,
  ) {
    super({ adapter: new PrismaPg(pool) });
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}

export { Prisma, type Delivery, type DeliveryAttempt, type Notification, type Webhook } from '../generated/prisma/client';
