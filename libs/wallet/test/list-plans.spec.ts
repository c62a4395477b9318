import { cursorOf, expectIndexed, plansOn } from '@bitro/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUserId, startWalletTest, type WalletTest } from './wallet-test';

// The list routes' SQL, as the wallet sends it, on 50,000 journals: PostgreSQL reads them through their indexes, and a
// deep page starts where its cursor points instead of reading the rows before it (tools/bench/seed-scale-plans.mjs
// checks the same at a million journals). Plans only: no timings.
const JOURNALS = 50_000;
let wallet: WalletTest;
const heavyUser = newUserId();
let token: string;

const deepCursor = () =>
  cursorOf(wallet.mod.pool, `SELECT created_at, id FROM wallet.journals WHERE user_id = $1 ORDER BY created_at DESC, id DESC OFFSET 2000 LIMIT 1`, [heavyUser]);

const plansOfGet = (table: string, path: string, as = token) =>
  plansOn(wallet.mod.pool, table, async () => {
    const answer = await wallet.mod.request('GET', path, { token: as });
    expect(answer.status).toBe(200);
  });

beforeAll(async () => {
  wallet = await startWalletTest({ http: true });
  token = wallet.mod.token({ userId: heavyUser });
  // Every 20th journal is the heavy user's, the rest spread over 1,000 others; kinds and days mixed.
  await wallet.mod.pool.query(
    `INSERT INTO wallet.journals (id, reference, kind, user_id, amount_sats, description, created_at)
     SELECT gen_random_uuid(), 'seed:' || i, (ARRAY['credit', 'debit', 'hold', 'deposit'])[1 + i % 4]::wallet."JournalKind",
       CASE WHEN i % 20 = 0 THEN $1::uuid ELSE others.ids[1 + i % 1000] END, 1000, 'seeded', now() - (i || ' minutes')::interval
     FROM generate_series(1, ${JOURNALS}) AS i, (SELECT array_agg(gen_random_uuid()) AS ids FROM generate_series(1, 1000)) AS others`,
    [heavyUser],
  );
  await wallet.mod.pool.query(
    `INSERT INTO wallet.withdrawals (id, user_id, address, amount_sats, max_fee_sats, status, idempotency_key, request_hash, created_at)
     SELECT gen_random_uuid(), others.ids[1 + i % 1000], 'bcrt1qseeded', 20000, 2000,
       (CASE WHEN i % 100 = 0 THEN 'awaiting_approval' ELSE 'confirmed' END)::wallet."WithdrawalStatus", 'k' || i, 'h', now() - (i || ' minutes')::interval
     FROM generate_series(1, ${JOURNALS}) AS i, (SELECT array_agg(gen_random_uuid()) AS ids FROM generate_series(1, 1000)) AS others`,
  );
  await wallet.mod.pool.query('ANALYZE wallet.journals; ANALYZE wallet.withdrawals');
}, 60_000);

afterAll(async () => {
  await wallet?.close();
});

describe('list plans on 50,000 journals', () => {
  it('GET /v1/wallet/transactions: the first page and a deep page walk (user_id, created_at, id)', async () => {
    expectIndexed(await plansOfGet('"wallet"."journals"', '/v1/wallet/transactions'), 'journals_user_id_created_at_id_idx');
    expectIndexed(await plansOfGet('"wallet"."journals"', `/v1/wallet/transactions?cursor=${await deepCursor()}`), 'journals_user_id_created_at_id_idx', { fromCursor: true });
  });

  it("GET /v1/wallet/transactions?kind=: (user_id, kind, created_at, id), not every user's journals of the kind", async () => {
    expectIndexed(await plansOfGet('"wallet"."journals"', '/v1/wallet/transactions?kind=credit'), 'journals_user_id_kind_created_at_id_idx');
    expectIndexed(await plansOfGet('"wallet"."journals"', `/v1/wallet/transactions?kind=credit&cursor=${await deepCursor()}`), 'journals_user_id_kind_created_at_id_idx', { fromCursor: true });
  });

  it('GET /v1/admin/withdrawals/awaiting-approval walks (status, created_at, id)', async () => {
    expectIndexed(await plansOfGet('"wallet"."withdrawals"', '/v1/admin/withdrawals/awaiting-approval', wallet.signIn('admin').token), 'withdrawals_status_created_at_id_idx');
  });
});
