/** ASCII "BTRA": marks an OP_RETURN output as a Bitro audit anchor. */
const MAGIC = Buffer.from('BTRA', 'ascii');
const VERSION = 0x01;
const MAX_HEIGHT = 2n ** 64n - 1n;

/**
 * The 45 bytes the `gateway` adapter publishes for a sealed block, as lower-case hex: "BTRA", version 0x01, the block
 * height (8 bytes, big-endian) and its Merkle root (32 bytes). Pure, so an offline verifier can compare them with the
 * OP_RETURN data of the anchoring transaction (libs/audit/README.md).
 */
export function anchorPayload(height: bigint | string, merkleRoot: string): string {
  const h = BigInt(height);
  if (h < 0n || h > MAX_HEIGHT) throw new RangeError(`block height ${height} does not fit 8 bytes`);
  if (!/^[0-9a-f]{64}$/.test(merkleRoot)) throw new RangeError('the Merkle root must be 64 lower-case hex digits');
  const heightBytes = Buffer.alloc(8);
  heightBytes.writeBigUInt64BE(h);
  return Buffer.concat([MAGIC, Buffer.of(VERSION), heightBytes, Buffer.from(merkleRoot, 'hex')]).toString('hex');
}
