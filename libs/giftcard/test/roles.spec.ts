import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_PINS } from '../src/features/redemptions/issuer/sandbox-issuer.adapter';
import { RedemptionRetry } from '../src/features/redemptions/redemption-retry';
import { REDEMPTION_RETRY_QUEUE } from '../src/features/redemptions/redemption-retry.schedule';
import { type GiftcardModuleTest, startGiftcardModule } from './giftcard-module-test';

const schedulersOf = async ({ mod }: GiftcardModuleTest) => {
  const connection = new Redis(mod.env.REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(REDEMPTION_RETRY_QUEUE, { connection, prefix: `${mod.env.REDIS_KEY_PREFIX}bull` });
  try {
    return await queue.getJobSchedulers();
  } finally {
    await queue.close();
    await connection.quit();
  }
};

describe('the retry job by role', () => {
  let httpOnly: GiftcardModuleTest;
  let scheduler: GiftcardModuleTest;

  beforeAll(async () => {
    [httpOnly, scheduler] = await Promise.all([
      startGiftcardModule({ env: { BITRO_ROLES: 'http' } }),
      startGiftcardModule({ env: { BITRO_ROLES: 'http,scheduler', REDEMPTION_RETRY_INTERVAL_MS: '12345' } }),
    ]);
  });
  afterAll(() => Promise.all([httpOnly?.close(), scheduler?.close()]));

  it('is scheduled only by a scheduler, every REDEMPTION_RETRY_INTERVAL_MS', async () => {
    expect(await schedulersOf(httpOnly)).toEqual([]);
    const schedulers = await schedulersOf(scheduler);
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({ every: 12345 });
  });

  it('retries what is due when run, and leaves what is not', async () => {
    const { token } = httpOnly.newUser();
    const down = await httpOnly.redeem<{ id: string; state: string }>(token, { brand: 'cultureland', pin: SANDBOX_PINS.issuerDown });
    expect(down.body.state).toBe('pending');
    const job = httpOnly.mod.get(RedemptionRetry);

    // Still down: tried, still pending, its sealed PIN kept.
    expect(await job.run()).toBe(1);
    const row = await httpOnly.prisma.redemption.findUniqueOrThrow({ where: { id: down.body.id } });
    expect(row).toMatchObject({ state: 'pending', attempts: 2 });
    expect(row.pinCiphertext).not.toBeNull();

    // Leased to a processor (not due yet): not taken.
    await httpOnly.prisma.redemption.update({ where: { id: row.id }, data: { nextAttemptAt: new Date(Date.now() + 60_000) } });
    expect(await job.run()).toBe(0);
  });
});
