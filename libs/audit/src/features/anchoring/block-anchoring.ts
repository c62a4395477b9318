import { Inject, Injectable } from '@nestjs/common';
import type { SqlExecutor } from '@bitro/messaging';
import type { SealedBlock } from '../blocks/block-seal';
import { ANCHOR_PORT, type AnchorPort } from './anchor.port';

/**
 * Anchors each sealed block, from its `audit.block-sealed.v1` event: a failing ledger is retried with the
 * event's backoff and ends in the dead letters, never blocking the sealing.
 */
@Injectable()
export class BlockAnchoring {
  constructor(@Inject(ANCHOR_PORT) private readonly port: AnchorPort) {}

  async anchor(block: SealedBlock, tx: SqlExecutor): Promise<void> {
    const reference = await this.port.publish(block);
    if (reference === null) return;
    await tx.$executeRawUnsafe(
      `INSERT INTO "audit"."anchors" (id, block_height, adapter, reference) VALUES (gen_random_uuid(), $1::bigint, $2, $3)
       ON CONFLICT (block_height, adapter) DO NOTHING`,
      block.height,
      this.port.name,
      reference,
    );
  }
}
