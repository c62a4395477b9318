import { randomUUID } from 'node:crypto';
import { Outbox, pgTransaction } from '@bitro/messaging';
import { AUDIT_OPS_API, type AuditOpsApi, type PayloadOf, walletJournalPostedV1 } from '@bitro/service-api';
import type { ModuleTest } from '@bitro/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyInclusionProof } from '../src';
import type { AnchorPort } from '../src/features/anchoring/anchor.port';
import type { SealedBlock } from '../src/features/blocks/block-seal';
import { InclusionProofs } from '../src/features/verify/inclusion-proofs';
import { BACKGROUND_WAIT, startAuditModule } from './audit-module-test';

let mod: ModuleTest;
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
  mod = await startAuditModule({
    anchor,
    // Blocks of 2; a record waits 1 s for its block's second one, so the two journals share a block on a busy machine too.
    env: { BITRO_ROLES: 'http,worker,scheduler', OUTBOX_RELAY_INTERVAL_MS: '50', EVENT_BACKOFF_MS: '100', AUDIT_BLOCK_MAX_RECORDS: '2', AUDIT_BLOCK_INTERVAL_MS: '1000' },
  });
  outbox = mod.get(Outbox);
});

afterAll(async () => {
  await mod?.close();
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

const announce = (payload: PayloadOf<typeof walletJournalPostedV1>) => pgTransaction(mod.pool, (tx) => outbox.append(tx, walletJournalPostedV1, payload));
const recordsOf = async (journalId: string) =>
  (await mod.pool.query<{ id: string; payload: unknown }>(`SELECT id::text, payload FROM "audit"."records" WHERE source_key = $1`, [`ledger.journal:${journalId}`])).rows;

describe('ledger journals through the messaging workers', () => {
  it('records each posted journal once, seals it into a block and anchors the block', async () => {
    const payload = journal();
    const other = journal();
    await mod
      .scenario(BACKGROUND_WAIT)
      .stimulate(async () => {
        await announce(payload);
        // A second event about the same journal (e.g. replayed by an operator) adds nothing.
        await announce(payload);
        await announce(other);
      })
      .andWaitForStateChange(
        async () => [(await recordsOf(payload.journalId)).length, (await recordsOf(other.journalId)).length],
        ([first, second]) => first === 1 && second === 1,
        { description: 'both journals to be recorded' },
      );
    await mod
      .scenario(BACKGROUND_WAIT)
      .stimulate(() => undefined)
      .andWaitForStateChange(
        async () => (await mod.pool.query(`SELECT 1 FROM "messaging"."inbox" WHERE consumer = 'audit' AND event_name = $1`, [walletJournalPostedV1.name])).rowCount,
        (handled) => handled === 3,
        { description: 'all three events to be handled' },
      );
    const [record] = await recordsOf(payload.journalId);
    expect(record?.payload).toEqual(payload);
    expect(await mod.pool.query('SELECT 1 FROM "audit"."records"')).toMatchObject({ rowCount: 2 });

    // The block seal runs every second; the block's event then reaches the anchor.
    await mod
      .scenario(BACKGROUND_WAIT)
      .stimulate(() => undefined)
      .andWaitForStateChange(async () => (await mod.pool.query('SELECT 1 FROM "audit"."anchors"')).rowCount, (anchors) => anchors === 1, { description: 'the block to be anchored' });
    expect(published).toEqual([expect.objectContaining({ height: '0', firstSeq: '1', lastSeq: '2' })]);
    const proof = await mod.get(InclusionProofs).proof(record?.id as string);
    expect(proof?.block.anchors).toEqual([{ adapter: 'test-ledger', reference: 'tx-0', anchoredAt: expect.any(String) }]);
    expect(proof?.block.merkleRoot).toBe(published[0]?.merkleRoot);
    expect(verifyInclusionProof(proof as NonNullable<typeof proof>)).toEqual({ ok: true });
    expect((await mod.get<AuditOpsApi>(AUDIT_OPS_API).verify()).ok).toBe(true);
  });
});
