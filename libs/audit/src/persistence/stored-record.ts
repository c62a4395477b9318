import type { RecordContent } from '../features/trail/record-hash';

/** A record as stored, read back. */
export interface StoredRecord extends RecordContent {
  id: string;
  prevHash: string;
  hash: string;
}

/** Columns of audit.records as a StoredRecord, seq as text (for Prisma and pg executors alike). */
export const STORED_RECORD_COLUMNS =
  'id::text AS id, seq::text AS seq, type, payload, occurred_at AS "occurredAt", prev_hash AS "prevHash", hash';

/** A row selected with {@link STORED_RECORD_COLUMNS}: `occurredAt` comes back as a Date. */
export type StoredRecordRow = Omit<StoredRecord, 'occurredAt'> & { occurredAt: Date };

export const toStoredRecord = (row: StoredRecordRow): StoredRecord => ({ ...row, occurredAt: row.occurredAt.toISOString() });
