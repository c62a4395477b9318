import { type GatewayClient, publishAnchorRoute } from '@bitro/gateway-contract';
import type { SealedBlock } from '../blocks/block-seal';
import { anchorPayload } from './anchor-payload';
import type { AnchorPort } from './anchor.port';

/**
 * AUDIT_ANCHOR=gateway: each block root goes into an OP_RETURN transaction that bitcoin-gateway builds and
 * broadcasts (reference `audit-block:<height>`, so a retry returns the same transaction). Returns its txid.
 * Any failure (gateway down, 503 busy, node down) is thrown: BlockAnchoring's event retries it.
 */
export class GatewayAnchorAdapter implements AnchorPort {
  readonly name = 'gateway';

  constructor(private readonly client: GatewayClient) {}

  async publish(block: SealedBlock): Promise<string> {
    const { txid } = await this.client.call(publishAnchorRoute, {
      reference: `audit-block:${block.height}`,
      dataHex: anchorPayload(block.height, block.merkleRoot),
    });
    return txid;
  }
}
