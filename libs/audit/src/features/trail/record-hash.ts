import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/** The previous hash of record 1: 32 zero bytes, hex. */
export const GENESIS_HASH = '0'.repeat(64);

/** What a record's hash covers besides the previous hash. `seq` is a decimal string. */
export interface RecordContent {
  seq: string;
  type: string;
  /** ISO 8601 with milliseconds, UTC (`Date.prototype.toISOString`). */
  occurredAt: string;
  payload: unknown;
}

/** SHA-256 over the 32 bytes of `prevHash` followed by the UTF-8 canonical JSON of `content`; lower-case hex. */
export function recordHash(prevHash: string, content: RecordContent): string {
  const { seq, type, occurredAt, payload } = content;
  return createHash('sha256')
    .update(Buffer.from(prevHash, 'hex'))
    .update(canonicalJson({ seq, type, occurredAt, payload }), 'utf8')
    .digest('hex');
}
