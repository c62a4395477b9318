import type { HistoryQuery, LedgerEntry } from '../src/features/ledger/ledger-entry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUserId, ref, startWalletTest, type WalletTest } from './wallet-test';

let wallet: WalletTest;
const userId = newUserId();
const otherUserId = newUserId();
/** The user's journal ids, newest first, as the database orders them. */
let expected: Array<{ id: string; kind: string; createdAt: Date }>;

const START = Date.parse('2026-03-01T00:00:00.000Z');
const HOUR = 3_600_000;

beforeAll(async () => {
  wallet = await startWalletTest();
  const { ledger } = wallet;
  await ledger.credit({ userId, amountSats: 1_000_000n, reference: ref('credit'), description: 'first' });
  await ledger.credit({ userId: otherUserId, amountSats: 1_000n, reference: ref('credit'), description: 'not yours' });
  for (let i = 0; i < 44; i++) {
    const amountSats = BigInt(100 + i);
    if (i % 4 === 0) await ledger.hold({ userId, amountSats, reference: ref('hold'), description: `hold ${i}` });
    else if (i % 4 === 1) await ledger.debit({ userId, amountSats, reference: ref('debit'), description: `debit ${i}` });
    else await ledger.credit({ userId, amountSats, reference: ref('credit'), description: `credit ${i}` });
  }
  // Spread the journals over hours, three to an instant, so that pages must break ties by id.
  await wallet.mod.pool.query(`
    UPDATE "wallet"."journals" j SET created_at = $1::timestamptz + (n.i / 3) * interval '1 hour'
    FROM (SELECT id, (row_number() OVER (ORDER BY id) - 1)::int AS i FROM "wallet"."journals") n
    WHERE n.id = j.id`, [new Date(START)]);
  const rows = await wallet.mod.pool.query<{ id: string; kind: string; created_at: Date }>(
    `SELECT id, kind, created_at FROM "wallet"."journals" WHERE user_id = $1 ORDER BY created_at DESC, id DESC`,
    [userId],
  );
  expected = rows.rows.map((row) => ({ id: row.id, kind: row.kind, createdAt: row.created_at }));
});

afterAll(async () => {
  await wallet?.close();
});

async function walk(query: Omit<HistoryQuery, 'cursor'>): Promise<{ items: LedgerEntry[]; pages: number }> {
  const items: LedgerEntry[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await wallet.ledger.history(userId, { ...query, cursor });
    pages++;
    expect(page.items.length).toBeLessThanOrEqual(query.limit ?? 20);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
    expect(pages).toBeLessThan(100);
  } while (cursor);
  return { items, pages };
}

describe('history', () => {
  it('walks every entry once, newest first, across pages', async () => {
    expect(expected).toHaveLength(45);
    const { items, pages } = await walk({ limit: 7 });
    expect(pages).toBe(7);
    expect(items.map((item) => item.journalId)).toEqual(expected.map((row) => row.id));
    expect(new Set(items.map((item) => item.journalId)).size).toBe(45);
    const byDescription = (description: string) => items.find((item) => item.description === description);
    expect(byDescription('first')).toMatchObject({ kind: 'credit', availableDeltaSats: 1_000_000n, heldDeltaSats: 0n });
    expect(byDescription('hold 0')).toMatchObject({ kind: 'hold', availableDeltaSats: -100n, heldDeltaSats: 100n });
    expect(byDescription('debit 1')).toMatchObject({ kind: 'debit', availableDeltaSats: -101n, heldDeltaSats: 0n });
    expect(items.every((item) => item.createdAt === expected.find((row) => row.id === item.journalId)?.createdAt.toISOString())).toBe(true);
  });

  it('ends with a null cursor and defaults to 20 per page', async () => {
    const page = await wallet.ledger.history(userId);
    expect(page.items).toHaveLength(20);
    expect(page.nextCursor).toEqual(expect.any(String));
    const all = await wallet.ledger.history(userId, { limit: 100 });
    expect(all.items).toHaveLength(45);
    expect(all.nextCursor).toBeNull();
    expect(await wallet.ledger.history(newUserId())).toEqual({ items: [], nextCursor: null });
  });

  it('filters by kind and by a [from, to) time range, also across pages', async () => {
    const holds = await walk({ kind: 'hold', limit: 4 });
    expect(holds.items.map((item) => item.journalId)).toEqual(expected.filter((row) => row.kind === 'hold').map((row) => row.id));
    expect(holds.items).toHaveLength(11);

    const from = new Date(START + 3 * HOUR);
    const to = new Date(START + 9 * HOUR);
    const range = await walk({ from, to, limit: 5 });
    const inRange = expected.filter((row) => row.createdAt >= from && row.createdAt < to);
    expect(inRange.length).toBeGreaterThan(0);
    expect(range.items.map((item) => item.journalId)).toEqual(inRange.map((row) => row.id));

    const both = await walk({ kind: 'credit', from, limit: 3 });
    expect(both.items.map((item) => item.journalId)).toEqual(expected.filter((row) => row.kind === 'credit' && row.createdAt >= from).map((row) => row.id));
  });

  it('refuses a cursor it did not issue and a limit outside 1..100', async () => {
    for (const query of [{ cursor: 'garbage' }, { cursor: Buffer.from('["x","y"]').toString('base64url') }, { limit: 0 }, { limit: 101 }, { limit: 1.5 }]) {
      await expect(wallet.ledger.history(userId, query)).rejects.toMatchObject({ name: 'WalletInputError' });
    }
  });
});
