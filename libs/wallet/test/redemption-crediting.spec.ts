import { randomUUID } from 'node:crypto';
import { type DomainEvent, Outbox, pgTransaction } from '@bitro/messaging';
import { redemptionApprovedV1, walletCreditedV1 } from '@bitro/service-api';
import { TEST_REDIS_URL } from '@bitro/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUserId, startWallet, type WalletTestContext } from './wallet-test-context';

let context: WalletTestContext;
let outbox: Outbox;

beforeAll(async () => {
  context = await startWallet({ env: { BITRO_ROLES: 'http,worker,scheduler', OUTBOX_RELAY_INTERVAL_MS: '50', EVENT_BACKOFF_MS: '100' } });
  outbox = context.moduleRef.get(Outbox);
});

afterAll(async () => {
  await context?.close();
});

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const approve = (payload: { redemptionId: string; userId: string; amountSats: string }) =>
  pgTransaction(context.pool, (tx) =>
    outbox.append(tx, redemptionApprovedV1, { ...payload, brand: 'culturelove', faceValueKrw: '50000', feeKrw: '2500', priceKrwPerBtc: '140000000' }),
  );

const journalsOf = async (reference: string) =>
  (await context.pool.query(`SELECT id FROM "wallet"."journals" WHERE reference = $1`, [reference])).rows.map((row: { id: string }) => row.id);

const creditedEvents = async (userId: string) =>
  (
    await context.pool.query<{ payload: unknown }>(`SELECT payload FROM "messaging"."outbox" WHERE name = $1 AND payload->>'userId' = $2`, [
      walletCreditedV1.name,
      userId,
    ])
  ).rows.map((row) => row.payload);

describe('redemption-approved events', () => {
  let approved: DomainEvent;
  const userId = newUserId();
  const redemptionId = randomUUID();

  it('credits the user and announces wallet.credited.v1 in the same transaction', async () => {
    approved = await approve({ redemptionId, userId, amountSats: '250000' });
    await until(async () => (await context.wallet.balance(userId)).availableSats === 250_000n, 'the redemption is credited');

    const [journalId] = await journalsOf(`redemption:${redemptionId}`);
    expect(journalId).toBeDefined();
    expect(await creditedEvents(userId)).toEqual([{ journalId, userId, amountSats: '250000', reference: `redemption:${redemptionId}`, redemptionId }]);
    const history = await context.wallet.history(userId);
    expect(history.items).toEqual([
      expect.objectContaining({ kind: 'credit', reference: `redemption:${redemptionId}`, description: 'culturelove gift card redemption', availableDeltaSats: 250_000n }),
    ]);
  });

  it('credits a redelivered event only once', async () => {
    // What BullMQ does when a worker dies after the handler committed: the same event again.
    const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue('messaging-consumer-wallet', { connection, prefix: `${context.redisPrefix}bull` });
    try {
      const jobId = `redelivery.${approved.id}`;
      await queue.add(approved.name, approved, { jobId });
      await until(async () => (await queue.getJobState(jobId)) === 'completed', 'the redelivered event is handled');
    } finally {
      await queue.close();
      await connection.quit();
    }
    expect(await context.wallet.balance(userId)).toMatchObject({ availableSats: 250_000n });
    expect(await journalsOf(`redemption:${redemptionId}`)).toHaveLength(1);
    expect(await creditedEvents(userId)).toHaveLength(1);
  });

  it('credits a redemption once even when two events approve it', async () => {
    const user = newUserId();
    const redemption = randomUUID();
    const first = await approve({ redemptionId: redemption, userId: user, amountSats: '1000' });
    const second = await approve({ redemptionId: redemption, userId: user, amountSats: '1000' });
    await until(async () => {
      const handled = await context.pool.query(`SELECT 1 FROM "messaging"."inbox" WHERE consumer = 'wallet' AND event_id = ANY($1::uuid[])`, [
        [first.id, second.id],
      ]);
      return handled.rowCount === 2;
    }, 'both events are handled');
    expect(await context.wallet.balance(user)).toMatchObject({ availableSats: 1_000n });
    expect(await journalsOf(`redemption:${redemption}`)).toHaveLength(1);
    expect(await creditedEvents(user)).toHaveLength(1);
    expect((await context.ops.verifyLedger()).ok).toBe(true);
  });
});
