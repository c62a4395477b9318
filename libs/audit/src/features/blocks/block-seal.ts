import { Inject, Injectable } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import { PG_POOL } from '@bitro/db';
import { Outbox, pgTransaction, type SqlExecutor } from '@bitro/messaging';
import { auditBlockSealedV1, type PayloadOf } from '@bitro/service-api';
import type { Pool } from 'pg';
import { STORED_RECORD_COLUMNS, type StoredRecordRow, toStoredRecord } from '../../persistence/stored-record';
import { recordFault } from '../trail/record-check';
import { GENESIS_HASH } from '../trail/record-hash';
import { merkleRoot } from './merkle';

export type SealedBlock = PayloadOf<typeof auditBlockSealedV1>;

/** Bounds one run's transaction; the next run goes on where it stopped. */
const MAX_BLOCKS_PER_RUN = 50;

/**
 * Groups the records after the last block into blocks of AUDIT_BLOCK_MAX_RECORDS, and the rest into a
 * smaller one once its oldest record is AUDIT_BLOCK_INTERVAL_MS old. Each block is announced as
 * `audit.block-sealed.v1` (anchoring follows from it). One run at a time (an advisory lock); records
 * become visible in seq order (see AuditAppender), so a block never skips one still being written.
 */
@Injectable()
export class BlockSeal {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(BITRO_ENV) private readonly env: BitroEnv,
    private readonly outbox: Outbox,
  ) {}

  /** One run: seals what is due; the blocks sealed (none when another run holds the lock). */
  run(): Promise<SealedBlock[]> {
    return pgTransaction(this.pool, async (tx) => {
      // The lock's key predates the class's name; a renamed key would let a replica of the previous build seal at once.
      const [lock] = await tx.$queryRawUnsafe<Array<{ locked: boolean }>>(`SELECT pg_try_advisory_xact_lock(hashtext('audit.block-sealer')) AS locked`);
      if (!lock?.locked) return [];
      const [last] = await tx.$queryRawUnsafe<Array<{ height: string; lastSeq: string }>>(
        'SELECT height::text AS height, last_seq::text AS "lastSeq" FROM "audit"."blocks" b ORDER BY b.height DESC LIMIT 1',
      );
      let height = last ? BigInt(last.height) + 1n : 0n;
      let afterSeq = last?.lastSeq ?? '0';
      const sealed: SealedBlock[] = [];
      while (sealed.length < MAX_BLOCKS_PER_RUN) {
        const block = await this.nextBlock(tx, height, afterSeq);
        if (!block) break;
        await tx.$executeRawUnsafe(
          'INSERT INTO "audit"."blocks" (height, first_seq, last_seq, merkle_root) VALUES ($1::bigint, $2::bigint, $3::bigint, $4)',
          block.height,
          block.firstSeq,
          block.lastSeq,
          block.merkleRoot,
        );
        await this.outbox.append(tx, auditBlockSealedV1, block);
        sealed.push(block);
        height += 1n;
        afterSeq = block.lastSeq;
      }
      return sealed;
    });
  }

  /** The block of the records after `afterSeq` if one is due; throws rather than seal a broken chain. */
  private async nextBlock(tx: SqlExecutor, height: bigint, afterSeq: string): Promise<SealedBlock | null> {
    const rows = await tx.$queryRawUnsafe<Array<StoredRecordRow & { due: boolean }>>(
      `SELECT ${STORED_RECORD_COLUMNS}, created_at <= now() - $3::float8 * interval '1 millisecond' AS due
       FROM "audit"."records" r WHERE seq > $1::bigint ORDER BY r.seq LIMIT $2`,
      afterSeq,
      this.env.AUDIT_BLOCK_MAX_RECORDS,
      this.env.AUDIT_BLOCK_INTERVAL_MS,
    );
    const first = rows[0];
    if (!first || (rows.length < this.env.AUDIT_BLOCK_MAX_RECORDS && !first.due)) return null;
    const [previous] =
      afterSeq === '0' ? [{ hash: GENESIS_HASH }] : await tx.$queryRawUnsafe<Array<{ hash: string }>>('SELECT hash FROM "audit"."records" WHERE seq = $1::bigint', afterSeq);
    let prevHash = previous?.hash ?? '';
    let expected = BigInt(afterSeq) + 1n;
    for (const row of rows) {
      const fault = BigInt(row.seq) === expected ? recordFault(prevHash, toStoredRecord(row)) : `record ${expected} is missing`;
      if (fault) throw new Error(`Audit record ${row.seq} (${row.id}) cannot be sealed: ${fault}; run audit:verify`);
      prevHash = row.hash;
      expected += 1n;
    }
    return { height: height.toString(), firstSeq: first.seq, lastSeq: (rows.at(-1) as StoredRecordRow).seq, merkleRoot: merkleRoot(rows.map((row) => row.hash)) };
  }
}
