import type { StoredRecord } from '../../persistence/stored-record';
import { recordHash } from './record-hash';

/** Why `record` does not continue a chain whose previous hash is `prevHash`; null when it does. */
export function recordFault(prevHash: string, record: StoredRecord): string | null {
  if (record.prevHash !== prevHash) return `prev_hash ${record.prevHash} is not the hash of the record before it (${prevHash})`;
  const computed = recordHash(record.prevHash, record);
  if (computed !== record.hash) return `hash ${record.hash} does not match its content (computed ${computed})`;
  return null;
}
