import { Inject, Injectable } from '@nestjs/common';
import { PG_POOL } from '@bitro/db';
import type { Pool } from 'pg';
import { z } from 'zod';
import { STORED_RECORD_COLUMNS, type StoredRecordRow, toStoredRecord } from '../../persistence/stored-record';
import { merklePath } from '../blocks/merkle';
import type { InclusionProof } from './inclusion-proof-check';

export class AuditRecordUnsealedError extends Error {
  override name = 'AuditRecordUnsealedError';

  constructor(readonly recordId: string) {
    super(`Audit record ${recordId} is not sealed in a block yet`);
  }
}

/** Builds a record's Merkle inclusion proof from the stored hashes of its block. */
@Injectable()
export class InclusionProofs {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Null when no record has that id; throws {@link AuditRecordUnsealedError} while it is in no block yet. */
  async proof(recordId: string): Promise<InclusionProof | null> {
    if (!z.uuid().safeParse(recordId).success) return null;
    const { rows: records } = await this.pool.query<StoredRecordRow>(`SELECT ${STORED_RECORD_COLUMNS} FROM "audit"."records" WHERE id = $1::uuid`, [recordId]);
    const row = records[0];
    if (!row) return null;
    const { rows: blocks } = await this.pool.query<InclusionProof['block']>(
      `SELECT height::text AS height, first_seq::text AS "firstSeq", last_seq::text AS "lastSeq", merkle_root AS "merkleRoot"
       FROM "audit"."blocks" WHERE first_seq <= $1::bigint AND last_seq >= $1::bigint`,
      [row.seq],
    );
    const block = blocks[0];
    if (!block) throw new AuditRecordUnsealedError(row.id);
    const [leaves, anchors] = await Promise.all([
      this.pool.query<{ hash: string }>('SELECT hash FROM "audit"."records" WHERE seq BETWEEN $1::bigint AND $2::bigint ORDER BY seq', [block.firstSeq, block.lastSeq]),
      this.pool.query<{ adapter: string; reference: string; anchoredAt: Date }>(
        'SELECT adapter, reference, anchored_at AS "anchoredAt" FROM "audit"."anchors" WHERE block_height = $1::bigint ORDER BY adapter',
        [block.height],
      ),
    ]);
    const hashes = leaves.rows.map((leaf) => leaf.hash);
    if (BigInt(hashes.length) !== BigInt(block.lastSeq) - BigInt(block.firstSeq) + 1n) {
      throw new Error(`Audit block ${block.height} has lost records (run audit:verify)`);
    }
    return {
      record: toStoredRecord(row),
      block: { ...block, anchors: anchors.rows.map((anchor) => ({ ...anchor, anchoredAt: anchor.anchoredAt.toISOString() })) },
      path: merklePath(hashes, Number(BigInt(row.seq) - BigInt(block.firstSeq))),
    };
  }
}
