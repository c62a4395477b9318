import { Injectable } from '@nestjs/common';
import { queryNamed, type SqlExecutor } from '@bitro/messaging';
import type { AuditRecordRef } from '@bitro/service-api';
import { toJsonData } from './canonical-json';
import { recordHash } from './record-hash';

export interface NewRecord {
  /** `ledger.journal`, `admin.action`, ... */
  type: string;
  /** Identifies the fact: appending the same key again returns the first record. */
  sourceKey: string;
  occurredAt: Date;
  payload: unknown;
}

export interface Appended extends AuditRecordRef {
  /** False when `sourceKey` was already recorded (nothing new written). */
  created: boolean;
}

interface RecordRow {
  id: string;
  seq: string;
  hash: string;
}

const LOCK_HEAD = {
  name: 'audit.chain-head-lock',
  text: 'SELECT last_seq::text AS "lastSeq", last_hash AS "lastHash" FROM "audit"."chain_head" WHERE id = 1 FOR UPDATE',
};

/** The record and the head's move to it in one statement: the head moves only when the record was inserted. */
const INSERT_AND_ADVANCE = {
  name: 'audit.record-insert',
  text: `WITH inserted AS (
           INSERT INTO "audit"."records" (id, seq, type, source_key, payload, occurred_at, prev_hash, hash)
           VALUES (gen_random_uuid(), $1::bigint, $2, $3, $4::jsonb, $5::timestamptz, $6, $7)
           ON CONFLICT (source_key) DO NOTHING RETURNING id
         ), advanced AS (
           UPDATE "audit"."chain_head" SET last_seq = $1::bigint, last_hash = $7 WHERE id = 1 AND EXISTS (SELECT 1 FROM inserted)
         )
         SELECT id::text AS id FROM inserted`,
};

const FIND_BY_SOURCE = {
  name: 'audit.record-by-source',
  text: 'SELECT id::text AS id, seq::text AS seq, hash FROM "audit"."records" WHERE source_key = $1',
};

interface Head {
  lastSeq: string;
  lastHash: string;
}

/**
 * The one way records enter the chain. Each append locks the chain head row until the caller's transaction
 * ends, so appends serialise: record N+1 is built on record N once N has committed (a rolled-back append
 * takes its seq with it), and the chain neither forks nor has gaps. Further appends in the same transaction (a
 * consumer's batch) build on the head it holds locked, as it left it, without reading it again.
 */
@Injectable()
export class AuditAppender {
  private readonly heads = new WeakMap<SqlExecutor, Head>();

  async append(tx: SqlExecutor, record: NewRecord): Promise<Appended> {
    const head = this.heads.get(tx) ?? (await this.lockHead(tx));
    const seq = (BigInt(head.lastSeq) + 1n).toString();
    // What is hashed is exactly what reading the row back gives: plain JSON, milliseconds.
    const payload = toJsonData(record.payload);
    const occurredAt = record.occurredAt.toISOString();
    const hash = recordHash(head.lastHash, { seq, type: record.type, occurredAt, payload });
    // The head's lock keeps other appends out: a conflict is a record of this source key committed before.
    const [inserted] = await queryNamed<{ id: string }>(tx, INSERT_AND_ADVANCE, [seq, record.type, record.sourceKey, JSON.stringify(payload), occurredAt, head.lastHash, hash]);
    if (!inserted) {
      const [existing] = await queryNamed<RecordRow>(tx, FIND_BY_SOURCE, [record.sourceKey]);
      if (!existing) throw new Error(`The audit record of ${record.sourceKey} conflicts but cannot be found`);
      return { id: existing.id, seq: BigInt(existing.seq), hash: existing.hash, created: false };
    }
    this.heads.set(tx, { lastSeq: seq, lastHash: hash });
    return { id: inserted.id, seq: BigInt(seq), hash, created: true };
  }

  private async lockHead(tx: SqlExecutor): Promise<Head> {
    const [head] = await queryNamed<Head>(tx, LOCK_HEAD, []);
    if (!head) throw new Error('The audit chain head is missing (are the audit migrations applied?)');
    this.heads.set(tx, head);
    return head;
  }
}
