import { createHash } from 'node:crypto';

/** One step of a Merkle path: the sibling's hash and the side it sits on. */
export interface MerkleStep {
  position: 'left' | 'right';
  hash: string;
}

/** A parent node: SHA-256 over the 32 bytes of the left child followed by the 32 bytes of the right; hex. */
export const merkleParent = (left: string, right: string): string =>
  createHash('sha256').update(Buffer.from(left, 'hex')).update(Buffer.from(right, 'hex')).digest('hex');

/** The next level up: pairs hashed left to right; a last, unpaired node is promoted unchanged. */
function levelUp(level: readonly string[]): string[] {
  const next: string[] = [];
  for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? merkleParent(level[i] as string, level[i + 1] as string) : (level[i] as string));
  return next;
}

/** The root over `leaves` (record hashes, in seq order); one leaf is its own root. */
export function merkleRoot(leaves: readonly string[]): string {
  if (leaves.length === 0) throw new Error('A Merkle tree needs at least one leaf');
  let level = [...leaves];
  while (level.length > 1) level = levelUp(level);
  return level[0] as string;
}

/** The siblings from leaf `index` up to the root; a level where the node is promoted adds no step. */
export function merklePath(leaves: readonly string[], index: number): MerkleStep[] {
  if (index < 0 || index >= leaves.length) throw new RangeError(`No leaf ${index} among ${leaves.length}`);
  const path: MerkleStep[] = [];
  let level = [...leaves];
  let position = index;
  while (level.length > 1) {
    const sibling = position % 2 === 0 ? position + 1 : position - 1;
    if (sibling < level.length) path.push({ position: sibling < position ? 'left' : 'right', hash: level[sibling] as string });
    level = levelUp(level);
    position = Math.floor(position / 2);
  }
  return path;
}

/** The root a leaf and its path lead to. */
export const rootFromPath = (leaf: string, path: readonly MerkleStep[]): string =>
  path.reduce((node, step) => (step.position === 'left' ? merkleParent(step.hash, node) : merkleParent(node, step.hash)), leaf);
