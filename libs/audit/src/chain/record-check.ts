import { type RecordContent, recordHash } from './record-hash';

/** A record as stored, read back. */
export interface StoredRecord extends RecordContent {
  id: string;
  prevHash: string;
  hash: string;
}

/** Why `record` does not continue a chain whose previous hash is `prevHash`; null when it does. */
export function recordFault(prevHash: string, record: StoredRecord): string | null {
  if (record.prevHash !== prevHash) return `prev_hash ${record.prevHash} is not the hash of the record before it (${prevHash})`;
  const computed = recordHash(record.prevHash, record);
  if (computed !== record.hash) return `hash ${record.hash} does not match its content (computed ${computed})`;
  return null;
}

/** Columns of audit.records as a StoredRecord, seq as text (for Prisma and pg executors alike). */
export const STORED_RECORD_COLUMNS =
  'id::text AS id, seq::text AS seq, type, payload, occurred_at AS "occurredAt", prev_hash AS "prevHash", hash';

/** A row selected with {@link STORED_RECORD_COLUMNS}: `occurredAt` comes back as a Date. */
export type StoredRecordRow = Omit<StoredRecord, 'occurredAt'> & { occurredAt: Date };

export const toStoredRecord = (row: StoredRecordRow): StoredRecord => ({ ...row, occurredAt: row.occurredAt.toISOString() });
