import { randomUUID } from 'node:crypto';
import { type DomainEvent, Outbox, pgTransaction } from '@bitro/messaging';
import { redemptionApprovedV1, walletCreditedV1 } from '@bitro/service-api';
import { TEST_REDIS_URL } from '@bitro/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUserId, startWalletTest, type WalletTest } from './wallet-test';

let wallet: WalletTest;
let outbox: Outbox;

beforeAll(async () => {
  // Workers on: approvals go through the outbox, the relay and the wallet's queue as the gift-card domain's do.
  wallet = await startWalletTest({ http: true, env: { BITRO_ROLES: 'http,worker,scheduler', OUTBOX_RELAY_INTERVAL_MS: '50', EVENT_BACKOFF_MS: '100' } });
  outbox = wallet.mod.get(Outbox);
});

afterAll(async () => {
  await wallet?.close();
});

/** What the workers have to do here may take a while on a busy machine. */
const scenario = () => wallet.mod.scenario({ timeoutMs: 20_000 });

const approval = (payload: { redemptionId: string; userId: string; amountSats: string }) => ({
  ...payload,
  brand: 'culturelove',
  faceValueKrw: '50000',
  feeKrw: '2500',
  priceKrwPerBtc: '140000000',
});

/** An approval committed to the outbox, as the gift-card domain commits it. */
const approve = (payload: { redemptionId: string; userId: string; amountSats: string }) =>
  pgTransaction(wallet.mod.pool, (tx) => outbox.append(tx, redemptionApprovedV1, approval(payload)));

const journalsOf = async (reference: string) =>
  (await wallet.mod.pool.query(`SELECT id FROM "wallet"."journals" WHERE reference = $1`, [reference])).rows.map((row: { id: string }) => row.id);

describe('redemption-approved events', () => {
  let approved: DomainEvent;
  const userId = newUserId();
  const redemptionId = randomUUID();

  it('credits the user and announces wallet.credited.v1 in the same transaction', async () => {
    await scenario()
      .stimulate(async () => {
        approved = await approve({ redemptionId, userId, amountSats: '250000' });
      })
      .andWaitForStateChange(() => wallet.ledger.balance(userId), (balance) => balance.availableSats === 250_000n, { description: 'the redemption to be credited' });

    const [journalId] = await journalsOf(`redemption:${redemptionId}`);
    expect(journalId).toBeDefined();
    expect(await wallet.announced(walletCreditedV1, userId)).toEqual([{ journalId, userId, amountSats: '250000', reference: `redemption:${redemptionId}`, redemptionId }]);
    const history = await wallet.ledger.history(userId);
    expect(history.items).toEqual([
      expect.objectContaining({ kind: 'credit', reference: `redemption:${redemptionId}`, description: 'culturelove gift card redemption', availableDeltaSats: 250_000n }),
    ]);
  });

  it('credits a redelivered event only once', async () => {
    // What BullMQ does when a worker dies after the handler committed: the same event again.
    const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue('messaging-consumer-wallet', { connection, prefix: `${wallet.mod.redis.prefix}bull` });
    try {
      const jobId = `redelivery.${approved.id}`;
      await scenario()
        .stimulate(() => queue.add(approved.name, approved, { jobId }))
        .andWaitForStateChange(() => queue.getJobState(jobId), (state) => state === 'completed', { description: 'the redelivered event to be handled' });
    } finally {
      await queue.close();
      await connection.quit();
    }
    expect(await wallet.ledger.balance(userId)).toMatchObject({ availableSats: 250_000n });
    expect(await journalsOf(`redemption:${redemptionId}`)).toHaveLength(1);
    expect(await wallet.announced(walletCreditedV1, userId)).toHaveLength(1);
  });

  it('credits a redemption once even when two events approve it', async () => {
    const user = newUserId();
    const redemption = randomUUID();
    await scenario()
      .stimulate(async () => [
        await approve({ redemptionId: redemption, userId: user, amountSats: '1000' }),
        await approve({ redemptionId: redemption, userId: user, amountSats: '1000' }),
      ])
      .andWaitForStateChange(
        async (events) =>
          (await wallet.mod.pool.query(`SELECT 1 FROM "messaging"."inbox" WHERE consumer = 'wallet' AND event_id = ANY($1::uuid[])`, [events.map((event) => event.id)])).rowCount,
        (handled) => handled === 2,
        { description: 'both events to be handled' },
      );
    expect(await wallet.ledger.balance(user)).toMatchObject({ availableSats: 1_000n });
    expect(await journalsOf(`redemption:${redemption}`)).toHaveLength(1);
    expect(await wallet.announced(walletCreditedV1, user)).toHaveLength(1);
    expect((await wallet.ops.verifyLedger()).ok).toBe(true);
  });

  it('credits an approved redemption handed to its consumer, announces wallet.credited.v1 and shows the balance', async () => {
    const user = newUserId();
    const redemption = randomUUID();
    const credited = await wallet.mod
      .scenario()
      .stimulate(() => wallet.mod.deliver(redemptionApprovedV1, approval({ redemptionId: redemption, userId: user, amountSats: '250000' })))
      .andWaitForEvent(walletCreditedV1, (payload) => payload.redemptionId === redemption);
    expect(credited.payload).toMatchObject({ userId: user, amountSats: '250000', redemptionId: redemption });

    const balance = await wallet.mod.request('GET', '/v1/wallet/balance', { token: wallet.mod.token({ userId: user }) });
    expect(balance.body).toMatchObject({ availableSats: '250000' });
  });
});
