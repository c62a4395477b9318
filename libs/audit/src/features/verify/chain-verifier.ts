import { Inject, Injectable } from '@nestjs/common';
import { PG_POOL } from '@bitro/db';
import { pgTransaction, type SqlExecutor } from '@bitro/messaging';
import type { AuditReport } from '@bitro/service-api';
import type { Pool } from 'pg';
import { STORED_RECORD_COLUMNS, type StoredRecordRow, toStoredRecord } from '../../persistence/stored-record';
import { merkleRoot } from '../blocks/merkle';
import { recordFault } from '../trail/record-check';
import { GENESIS_HASH } from '../trail/record-hash';

const BATCH = 2_000;

interface BlockRow {
  height: string;
  firstSeq: string;
  lastSeq: string;
  merkleRoot: string;
}

/** Why a block is wrong given the stored hashes of its range (in seq order); null when it is right. */
function blockFault(block: BlockRow, expectedHeight: bigint, expectedFirstSeq: bigint, leaves: string[]): string | null {
  if (BigInt(block.height) !== expectedHeight) return `block ${expectedHeight} is missing (found ${block.height} next)`;
  if (BigInt(block.firstSeq) !== expectedFirstSeq) return `starts at record ${block.firstSeq}, not right after the previous block (${expectedFirstSeq})`;
  const size = BigInt(block.lastSeq) - BigInt(block.firstSeq) + 1n;
  if (BigInt(leaves.length) !== size) return `covers records ${block.firstSeq}..${block.lastSeq} but ${leaves.length} of them exist`;
  const computed = merkleRoot(leaves);
  return computed === block.merkleRoot ? null : `merkle_root ${block.merkleRoot} does not match its records (computed ${computed})`;
}

/**
 * Recomputes the chain over one snapshot: every record's seq (no gaps), prev_hash and hash in order, the chain
 * head, and every block's range and Merkle root. Reports the first broken record and the first broken block.
 */
@Injectable()
export class ChainVerifier {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  verify(): Promise<AuditReport> {
    return pgTransaction(this.pool, async (tx) => {
      await tx.$executeRawUnsafe('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const [head] = await tx.$queryRawUnsafe<Array<{ lastSeq: string; lastHash: string }>>(
        'SELECT last_seq::text AS "lastSeq", last_hash AS "lastHash" FROM "audit"."chain_head" WHERE id = 1',
      );
      const blocks = await tx.$queryRawUnsafe<BlockRow[]>(
        'SELECT height::text AS height, first_seq::text AS "firstSeq", last_seq::text AS "lastSeq", merkle_root AS "merkleRoot" FROM "audit"."blocks" b ORDER BY b.height',
      );
      const report: AuditReport = { ok: false, records: 0, blocks: blocks.length, firstBrokenRecord: null, firstBrokenBlock: null };
      const breakRecord = (seq: bigint, id: string | null, reason: string) => {
        report.firstBrokenRecord ??= { seq, id, reason };
      };

      // Blocks in height order, each collecting the stored hashes of its range as the records stream by.
      let blockIndex = 0;
      let leaves: string[] = [];
      let nextFirstSeq = 1n;
      const closeBlock = () => {
        const block = blocks[blockIndex] as BlockRow;
        const fault = blockFault(block, BigInt(blockIndex), nextFirstSeq, leaves);
        if (fault && !report.firstBrokenBlock) report.firstBrokenBlock = { height: BigInt(block.height), reason: fault };
        nextFirstSeq = BigInt(block.lastSeq) + 1n;
        blockIndex += 1;
        leaves = [];
      };

      let expectedSeq = 1n;
      let prevHash = GENESIS_HASH;
      let lastId: string | null = null;
      for await (const row of this.records(tx)) {
        const seq = BigInt(row.seq);
        report.records += 1;
        if (seq !== expectedSeq) breakRecord(expectedSeq, row.id, `record ${expectedSeq} is missing (the next one is ${row.seq})`);
        else {
          const fault = recordFault(prevHash, toStoredRecord(row));
          if (fault) breakRecord(seq, row.id, fault);
        }
        while (blockIndex < blocks.length && seq > BigInt((blocks[blockIndex] as BlockRow).lastSeq)) closeBlock();
        if (blockIndex < blocks.length && seq >= BigInt((blocks[blockIndex] as BlockRow).firstSeq)) leaves.push(row.hash);
        expectedSeq = seq + 1n;
        prevHash = row.hash;
        lastId = row.id;
      }
      while (blockIndex < blocks.length) closeBlock();

      if (!head) breakRecord(expectedSeq, null, 'the chain head row is missing');
      else if (BigInt(head.lastSeq) >= expectedSeq) breakRecord(expectedSeq, null, `record ${expectedSeq} is missing (the chain head is at record ${head.lastSeq})`);
      else if (BigInt(head.lastSeq) + 1n !== expectedSeq || head.lastHash !== prevHash) {
        breakRecord(expectedSeq - 1n, lastId, `the last record does not match the chain head (record ${head.lastSeq}, hash ${head.lastHash})`);
      }
      report.ok = !report.firstBrokenRecord && !report.firstBrokenBlock;
      return report;
    });
  }

  private async *records(tx: SqlExecutor): AsyncGenerator<StoredRecordRow> {
    let after = '0';
    for (;;) {
      const rows = await tx.$queryRawUnsafe<StoredRecordRow[]>(
        `SELECT ${STORED_RECORD_COLUMNS} FROM "audit"."records" r WHERE seq > $1::bigint ORDER BY r.seq LIMIT ${BATCH}`,
        after,
      );
      yield* rows;
      if (rows.length < BATCH) return;
      after = (rows.at(-1) as StoredRecordRow).seq;
    }
  }
}
