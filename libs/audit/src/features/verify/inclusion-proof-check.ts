import { type MerkleStep, rootFromPath } from '../blocks/merkle';
import { recordHash } from '../trail/record-hash';

const HEX_64 = /^[0-9a-f]{64}$/;
const DECIMAL = /^(0|[1-9][0-9]*)$/;

/** Everything needed to check a record's inclusion offline (see libs/audit/README.md). */
export interface InclusionProof {
  record: { id: string; seq: string; type: string; occurredAt: string; payload: unknown; prevHash: string; hash: string };
  block: { height: string; firstSeq: string; lastSeq: string; merkleRoot: string; anchors: Array<{ adapter: string; reference: string; anchoredAt: string }> };
  path: MerkleStep[];
}

export type InclusionCheck = { ok: true } | { ok: false; reason: string };

/**
 * Checks a proof from `GET /v1/admin/audit/records/:id/proof` offline, with nothing but the proof: the record's
 * hash is recomputed from its content and previous hash, and the Merkle path must lead from it to the block's
 * root (rules: libs/audit/README.md). Compare the root with an anchored one to trust it beyond this database.
 */
export function verifyInclusionProof(proof: InclusionProof): InclusionCheck {
  const { record, block, path } = proof;
  const hashes = [record.prevHash, record.hash, block.merkleRoot, ...path.map((step) => step.hash)];
  if (!hashes.every((hash) => HEX_64.test(hash))) return { ok: false, reason: 'a hash is not 64 lower-case hex digits' };
  if (!path.every((step) => step.position === 'left' || step.position === 'right')) return { ok: false, reason: 'a path step is neither left nor right' };
  if (![record.seq, block.firstSeq, block.lastSeq].every((n) => DECIMAL.test(n))) return { ok: false, reason: 'a sequence number is not a decimal string' };
  const seq = BigInt(record.seq);
  if (seq < BigInt(block.firstSeq) || seq > BigInt(block.lastSeq)) return { ok: false, reason: `record ${record.seq} is outside block ${block.height}` };
  const computed = recordHash(record.prevHash, { seq: record.seq, type: record.type, occurredAt: record.occurredAt, payload: record.payload });
  if (computed !== record.hash) return { ok: false, reason: 'the record hash does not match its content' };
  if (rootFromPath(record.hash, path) !== block.merkleRoot) return { ok: false, reason: 'the path does not lead to the block root' };
  return { ok: true };
}
