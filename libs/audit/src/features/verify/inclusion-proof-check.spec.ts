import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { merkleParent, merklePath, merkleRoot, rootFromPath } from '../blocks/merkle';
import { GENESIS_HASH, recordHash } from '../trail/record-hash';
import { type InclusionProof, verifyInclusionProof } from './inclusion-proof-check';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const leaves = (n: number) => Array.from({ length: n }, (_, i) => sha(`leaf ${i}`));

describe('record hashes', () => {
  it('is SHA-256 of the previous hash bytes followed by the canonical JSON of seq, type, occurredAt and payload', () => {
    const content = { seq: '1', type: 'admin.action', occurredAt: '2026-01-01T00:00:00.000Z', payload: { b: '1', a: 'x' } };
    const expected = createHash('sha256')
      .update(Buffer.alloc(32))
      .update('{"occurredAt":"2026-01-01T00:00:00.000Z","payload":{"a":"x","b":"1"},"seq":"1","type":"admin.action"}')
      .digest('hex');
    expect(recordHash(GENESIS_HASH, content)).toBe(expected);
    expect(recordHash(GENESIS_HASH, { ...content, seq: '2' })).not.toBe(expected);
  });
});

describe('Merkle trees', () => {
  it('hashes pairs and promotes an odd last node unchanged', () => {
    const [a, b, c] = leaves(3) as [string, string, string];
    expect(merkleRoot([a])).toBe(a);
    expect(merkleRoot([a, b])).toBe(merkleParent(a, b));
    expect(merkleRoot([a, b, c])).toBe(merkleParent(merkleParent(a, b), c));
    expect(() => merkleRoot([])).toThrow();
  });

  it('gives every leaf of trees of 1 to 17 leaves a path to the root', () => {
    for (let n = 1; n <= 17; n += 1) {
      const all = leaves(n);
      const root = merkleRoot(all);
      all.forEach((leaf, index) => expect(rootFromPath(leaf, merklePath(all, index))).toBe(root));
    }
  });
});

function proofOf(count: number, index: number): InclusionProof {
  let prevHash = GENESIS_HASH;
  const records = Array.from({ length: count }, (_, i) => {
    const content = { seq: String(i + 1), type: 'ledger.journal', occurredAt: new Date(1_700_000_000_000 + i).toISOString(), payload: { n: String(i) } };
    const record = { id: '018f0000-0000-7000-8000-00000000000' + (i % 10), ...content, prevHash, hash: recordHash(prevHash, content) };
    prevHash = record.hash;
    return record;
  });
  const hashes = records.map((record) => record.hash);
  return {
    record: records[index] as InclusionProof['record'],
    block: { height: '0', firstSeq: '1', lastSeq: String(count), merkleRoot: merkleRoot(hashes), anchors: [] },
    path: merklePath(hashes, index),
  };
}

describe('verifyInclusionProof', () => {
  it('accepts a genuine proof', () => {
    expect(verifyInclusionProof(proofOf(7, 4))).toEqual({ ok: true });
    expect(verifyInclusionProof(proofOf(1, 0))).toEqual({ ok: true });
  });

  it('refuses an edited payload, type, time or previous hash', () => {
    const proof = proofOf(7, 4);
    expect(verifyInclusionProof({ ...proof, record: { ...proof.record, payload: { n: '5' } } })).toEqual({ ok: false, reason: 'the record hash does not match its content' });
    expect(verifyInclusionProof({ ...proof, record: { ...proof.record, type: 'admin.action' } }).ok).toBe(false);
    expect(verifyInclusionProof({ ...proof, record: { ...proof.record, occurredAt: '2020-01-01T00:00:00.000Z' } }).ok).toBe(false);
    expect(verifyInclusionProof({ ...proof, record: { ...proof.record, prevHash: sha('other') } }).ok).toBe(false);
  });

  it('refuses a record whose hash was recomputed but whose path no longer leads to the root', () => {
    const proof = proofOf(7, 4);
    const payload = { n: 'forged' };
    const hash = recordHash(proof.record.prevHash, { ...proof.record, payload });
    expect(verifyInclusionProof({ ...proof, record: { ...proof.record, payload, hash } })).toEqual({ ok: false, reason: 'the path does not lead to the block root' });
  });

  it('refuses a changed sibling, a swapped side, a dropped step, another root or a record outside the block', () => {
    const proof = proofOf(7, 4);
    const [first, ...rest] = proof.path as [InclusionProof['path'][number], ...InclusionProof['path']];
    expect(verifyInclusionProof({ ...proof, path: [{ ...first, hash: sha('x') }, ...rest] }).ok).toBe(false);
    expect(verifyInclusionProof({ ...proof, path: [{ ...first, position: first.position === 'left' ? 'right' : 'left' }, ...rest] }).ok).toBe(false);
    expect(verifyInclusionProof({ ...proof, path: rest }).ok).toBe(false);
    expect(verifyInclusionProof({ ...proof, block: { ...proof.block, merkleRoot: sha('root') } }).ok).toBe(false);
    expect(verifyInclusionProof({ ...proof, block: { ...proof.block, lastSeq: '3' } })).toEqual({ ok: false, reason: 'record 5 is outside block 0' });
  });

  it('refuses malformed hashes and numbers instead of throwing', () => {
    const proof = proofOf(3, 1);
    expect(verifyInclusionProof({ ...proof, record: { ...proof.record, hash: 'ABC' } }).ok).toBe(false);
    expect(verifyInclusionProof({ ...proof, record: { ...proof.record, seq: '1e3' } }).ok).toBe(false);
    expect(verifyInclusionProof({ ...proof, path: [{ position: 'up' as 'left', hash: sha('x') }] }).ok).toBe(false);
  });
});
