import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { PG_POOL } from '@bitro/db';
import type { Pool } from 'pg';
import { type Prisma, PrismaClient } from '../generated/prisma/client';

/** An interactive transaction of the wallet's Prisma client. */
export type WalletTx = Prisma.TransactionClient;

// Under a burst of movements on one account the transactions queue for the row lock and for a
// pooled connection; Prisma's defaults (2 s to start, 5 s to finish) would fail them spuriously.
export const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 20_000 } as const;

/** The wallet domain's Prisma client, on the process's shared PostgreSQL pool. */
@Injectable()
export class WalletPrisma extends PrismaClient implements OnModuleDestroy {
  constructor(
    /** The same pool, for what skips the ORM: the hot reads (ADR 0027) and the consumer's transactions (ADR 0038). */
    @Inject(PG_POOL) readonly pool: Pool,
  ) {
    super({ adapter: new PrismaPg(pool) });
  }

  /** Runs `work` in one read-committed transaction. */
  transaction<T>(work: (tx: WalletTx) => Promise<T>, options: { isolationLevel?: Prisma.TransactionIsolationLevel } = {}): Promise<T> {
    return this.$transaction(work, { ...TRANSACTION_OPTIONS, ...options });
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}

export { Prisma, type Deposit, type Journal, type Withdrawal } from '../generated/prisma/client';
