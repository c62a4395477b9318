import { Inject, Injectable } from '@nestjs/common';
import { PG_POOL } from '@bitro/db';
import type { Pool } from 'pg';

/** PostgreSQL advisory lock key ("WSND") of the withdrawal sender. */
export const WITHDRAWAL_SENDER_LOCK_KEY = 0x57534e44;

/**
 * One writer of payouts at a time, across gateway replicas: the sender's scheduled runs take this lock (skipping a
 * run while it is held) and so does an operator's fee bump (waiting for it), so coin selection and broadcasts never
 * interleave.
 */
@Injectable()
export class WithdrawalSenderLock {
  constructor(@Inject(PG_POOL) readonly pool: Pool) {}

  async withLock<T>(work: () => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('SELECT pg_advisory_lock($1)', [WITHDRAWAL_SENDER_LOCK_KEY]);
      try {
        return await work();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [WITHDRAWAL_SENDER_LOCK_KEY]).catch((error: Error) => {
          broken = error;
        });
      }
    } finally {
      // A connection that could not unlock still holds the lock: it is closed, which releases it.
      client.release(broken);
    }
  }
}
