import type { SealedBlock } from '../blocks/block-seal';

/** Publishes a sealed block's Merkle root to a ledger outside this database, so a rewrite of the trail shows. */
export interface AnchorPort {
  /** Stored with each anchor (`audit.anchors.adapter`). */
  readonly name: string;
  /** Publishes `block.merkleRoot`; where to find it there (e.g. a transaction id), or null when this adapter publishes nothing. */
  publish(block: SealedBlock): Promise<string | null>;
}

export const ANCHOR_PORT = Symbol('bitro.audit.AnchorPort');
