import { randomUUID } from 'node:crypto';
import { Outbox, pgTransaction } from '@bitro/messaging';
import { type PayloadOf, walletJournalPostedV1 } from '@bitro/service-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyInclusionProof } from '../src';
import type { AnchorPort } from '../src/features/anchoring/anchor.port';
import type { SealedBlock } from '../src/features/blocks/block-seal';
import { type AuditTestApp, startAuditApp, until } from './audit-test-context';

let context: AuditTestApp;
let outbox: Outbox;
const published: SealedBlock[] = [];
const anchor: AnchorPort = {
  name: 'test-ledger',
  publish: async (block) => {
    published.push(block);
    return `tx-${block.height}`;
  },
};

beforeAll(async () => {
  context = await startAuditApp({
    anchor,
    env: { BITRO_ROLES: 'http,worker,scheduler', OUTBOX_RELAY_INTERVAL_MS: '50', EVENT_BACKOFF_MS: '100', AUDIT_BLOCK_MAX_RECORDS: '2', AUDIT_BLOCK_INTERVAL_MS: '200' },
  });
  outbox = context.moduleRef.get(Outbox);
});

afterAll(async () => {
  await context?.close();
});

const journal = (): PayloadOf<typeof walletJournalPostedV1> => {
  const userId = randomUUID();
  return {
    journalId: randomUUID(),
    kind: 'credit',
    userId,
    amountSats: '250000',
    reference: `redemption:${randomUUID()}`,
    description: 'culturelove gift card redemption',
    holdReference: null,
    postings: [
      { account: 'house:giftcard_liability', amountSats: '-250000' },
      { account: `user:${userId}:available`, amountSats: '250000' },
    ],
    createdAt: new Date().toISOString(),
  };
};

const announce = (payload: PayloadOf<typeof walletJournalPostedV1>) => pgTransaction(context.pool, (tx) => outbox.append(tx, walletJournalPostedV1, payload));
const recordsOf = async (journalId: string) =>
  (await context.pool.query<{ id: string; payload: unknown }>(`SELECT id::text, payload FROM "audit"."records" WHERE source_key = $1`, [`ledger.journal:${journalId}`])).rows;

describe('ledger journals through the messaging workers', () => {
  it('records each posted journal once, seals it into a block and anchors the block', async () => {
    const payload = journal();
    await announce(payload);
    // A second event about the same journal (e.g. replayed by an operator) adds nothing.
    await announce(payload);
    const other = journal();
    await announce(other);
    await until(async () => (await recordsOf(payload.journalId)).length === 1 && (await recordsOf(other.journalId)).length === 1, 'both journals are recorded');
    await until(async () => {
      const { rows } = await context.pool.query(`SELECT 1 FROM "messaging"."inbox" WHERE consumer = 'audit' AND event_name = $1`, [walletJournalPostedV1.name]);
      return rows.length === 3;
    }, 'all three events are handled');
    const [record] = await recordsOf(payload.journalId);
    expect(record?.payload).toEqual(payload);
    expect(await context.pool.query('SELECT 1 FROM "audit"."records"')).toMatchObject({ rowCount: 2 });

    // The block seal runs every 200 ms; the block's event then reaches the anchor.
    await until(async () => (await context.pool.query('SELECT 1 FROM "audit"."anchors"')).rowCount === 1, 'the block is anchored');
    expect(published).toEqual([expect.objectContaining({ height: '0', firstSeq: '1', lastSeq: '2' })]);
    const proof = await context.proofs.proof(record?.id as string);
    expect(proof?.block.anchors).toEqual([{ adapter: 'test-ledger', reference: 'tx-0', anchoredAt: expect.any(String) }]);
    expect(proof?.block.merkleRoot).toBe(published[0]?.merkleRoot);
    expect(verifyInclusionProof(proof as NonNullable<typeof proof>)).toEqual({ ok: true });
    expect((await context.ops.verify()).ok).toBe(true);
  });
});
