import type { AddressInvalidReason, AddressType, BitcoinNetwork } from '@bitro/gateway-contract';

/*
 * Address test vectors, typed in from BIP-173 and BIP-350 ("Test vectors" sections) and from Bitcoin Core's
 * src/test/data/key_io_valid.json (Base58 and regtest entries). BIP-173's v1+ addresses were valid when written
 * and are invalid since BIP-350 (bech32 checksum on witness v1+); they are listed as such.
 */

export interface ValidVector {
  address: string;
  network: BitcoinNetwork;
  type: AddressType;
  scriptPubKeyHex: string;
}

export interface InvalidVector {
  address: string;
  /** Must be rejected on each of these networks, for `reason` on the first one. */
  networks: BitcoinNetwork[];
  reason: AddressInvalidReason;
  source: string;
}

export const VALID_ADDRESSES: ValidVector[] = [
  // BIP-350 valid segwit addresses (including BIP-173's still-valid v0 ones)
  { address: 'BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4', network: 'main', type: 'p2wpkh', scriptPubKeyHex: '0014751e76e8199196d454941c45d1b3a323f1433bd6' },
  {
    address: 'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7',
    network: 'test',
    type: 'p2wsh',
    scriptPubKeyHex: '00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262',
  },
  {
    address: 'bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y',
    network: 'main',
    type: 'witness_unknown',
    scriptPubKeyHex: '5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6',
  },
  { address: 'BC1SW50QGDZ25J', network: 'main', type: 'witness_unknown', scriptPubKeyHex: '6002751e' },
  { address: 'bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs', network: 'main', type: 'witness_unknown', scriptPubKeyHex: '5210751e76e8199196d454941c45d1b3a323' },
  {
    address: 'tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy',
    network: 'signet',
    type: 'p2wsh',
    scriptPubKeyHex: '0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433',
  },
  {
    address: 'tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c',
    network: 'testnet4',
    type: 'p2tr',
    scriptPubKeyHex: '5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433',
  },
  {
    address: 'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0',
    network: 'main',
    type: 'p2tr',
    scriptPubKeyHex: '512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798',
  },
  // Base58 (key_io_valid.json style)
  { address: '1AGNa15ZQXAZUgFiqJ2i7Z2DPU2J6hW62i', network: 'main', type: 'p2pkh', scriptPubKeyHex: '76a91465a16059864a2fdbc7c99a4723a8395bc6f188eb88ac' },
  { address: '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', network: 'main', type: 'p2pkh', scriptPubKeyHex: '76a91462e907b15cbf27d5425399ebf6f0fb50ebb88f1888ac' },
  { address: '3CMNFxN1oHBc4R1EpboAL5yzHGgE611Xou', network: 'main', type: 'p2sh', scriptPubKeyHex: 'a91474f209f6ea907e2ea48f74fae05782ae8a66525787' },
  { address: 'mo9ncXisMeAoXwqcV5EWuyncbmCcQN4rVs', network: 'test', type: 'p2pkh', scriptPubKeyHex: '76a91453c0307d6851aa0ce7825ba883c6bd9ad242b48688ac' },
  { address: 'mo9ncXisMeAoXwqcV5EWuyncbmCcQN4rVs', network: 'regtest', type: 'p2pkh', scriptPubKeyHex: '76a91453c0307d6851aa0ce7825ba883c6bd9ad242b48688ac' },
  { address: '2N2JD6wb56AfK4tfmM6PwdVmoYk2dCKf4Br', network: 'test', type: 'p2sh', scriptPubKeyHex: 'a9146349a418fc4578d10a372b54b45c280cc8c4382f87' },
  { address: '2N2JD6wb56AfK4tfmM6PwdVmoYk2dCKf4Br', network: 'signet', type: 'p2sh', scriptPubKeyHex: 'a9146349a418fc4578d10a372b54b45c280cc8c4382f87' },
  // Regtest bech32/bech32m
  { address: 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080', network: 'regtest', type: 'p2wpkh', scriptPubKeyHex: '0014751e76e8199196d454941c45d1b3a323f1433bd6' },
  {
    address: 'bcrt1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qzf4jry',
    network: 'regtest',
    type: 'p2wsh',
    scriptPubKeyHex: '00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262',
  },
  {
    address: 'bcrt1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqc8gma6',
    network: 'regtest',
    type: 'p2tr',
    scriptPubKeyHex: '512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798',
  },
];

const ALL: BitcoinNetwork[] = ['main', 'test', 'regtest'];

export const INVALID_ADDRESSES: InvalidVector[] = [
  // BIP-350 invalid segwit addresses
  { address: 'tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut', networks: ['test', 'main'], reason: 'wrong-network', source: 'BIP-350: invalid human-readable part' },
  { address: 'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd', networks: ['main', 'test'], reason: 'bech32-for-witness-v1-plus', source: 'BIP-350: bech32 instead of bech32m' },
  { address: 'tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf', networks: ['test', 'main'], reason: 'bech32-for-witness-v1-plus', source: 'BIP-350: bech32 instead of bech32m' },
  { address: 'BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL', networks: ['main', 'test'], reason: 'bech32-for-witness-v1-plus', source: 'BIP-350: bech32 instead of bech32m' },
  { address: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh', networks: ['main', 'test'], reason: 'bech32m-for-witness-v0', source: 'BIP-350: bech32m instead of bech32' },
  { address: 'tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47', networks: ['test', 'main'], reason: 'bech32m-for-witness-v0', source: 'BIP-350: bech32m instead of bech32' },
  { address: 'bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4', networks: ['main', 'test'], reason: 'invalid-encoding', source: 'BIP-350: invalid character in checksum' },
  { address: 'BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R', networks: ['main', 'test'], reason: 'invalid-witness-version', source: 'BIP-350: invalid witness version' },
  { address: 'bc1pw5dgrnzv', networks: ['main', 'test'], reason: 'invalid-length', source: 'BIP-350: invalid program length (1 byte)' },
  {
    address: 'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav',
    networks: ['main', 'test'],
    reason: 'invalid-length',
    source: 'BIP-350: invalid program length (41 bytes)',
  },
  { address: 'BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P', networks: ['main', 'test'], reason: 'invalid-length', source: 'BIP-173/350: invalid program length for witness v0 (16 bytes)' },
  { address: 'tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq', networks: ['test', 'main'], reason: 'mixed-case', source: 'BIP-350: mixed case' },
  { address: 'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf', networks: ['main', 'test'], reason: 'invalid-padding', source: 'BIP-350: zero padding of more than 4 bits' },
  { address: 'tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j', networks: ['test', 'main'], reason: 'invalid-padding', source: 'BIP-350: non-zero padding in 8-to-5 conversion' },
  { address: 'bc1gmk9yu', networks: ['main', 'test'], reason: 'empty-data', source: 'BIP-173/350: empty data section' },
  // BIP-173 invalid segwit addresses
  { address: 'tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty', networks: ['test', 'main'], reason: 'wrong-network', source: 'BIP-173: invalid human-readable part' },
  { address: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5', networks: ['main', 'test'], reason: 'bad-checksum', source: 'BIP-173: invalid checksum' },
  { address: 'BC13W508D6QEJXTDG4Y5R3ZARVARY0C5XW7KN40WF2', networks: ['main', 'test'], reason: 'invalid-witness-version', source: 'BIP-173: invalid witness version' },
  { address: 'bc1rw5uspcuh', networks: ['main', 'test'], reason: 'bech32-for-witness-v1-plus', source: 'BIP-173: invalid program length' },
  {
    address: 'bc10w508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kw5rljs90',
    networks: ['main', 'test'],
    reason: 'bech32-for-witness-v1-plus',
    source: 'BIP-173: invalid program length (v15, bech32 checksum, so rejected first for that since BIP-350)',
  },
  { address: 'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sL5k7', networks: ['test', 'main'], reason: 'mixed-case', source: 'BIP-173: mixed case' },
  { address: 'bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du', networks: ['main', 'test'], reason: 'bech32-for-witness-v1-plus', source: 'BIP-173: zero padding of more than 4 bits (v2, bech32 checksum)' },
  { address: 'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3pjxtptv', networks: ['test', 'main'], reason: 'invalid-padding', source: 'BIP-173: non-zero padding' },
  // BIP-173 valid v1+ addresses, invalid since BIP-350
  {
    address: 'bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx',
    networks: ['main', 'test'],
    reason: 'bech32-for-witness-v1-plus',
    source: 'BIP-173 valid list, bech32 on v1',
  },
  { address: 'BC1SW50QA3JX3S', networks: ['main', 'test'], reason: 'bech32-for-witness-v1-plus', source: 'BIP-173 valid list, bech32 on v16' },
  { address: 'bc1zw508d6qejxtdg4y5r3zarvaryvg6kdaj', networks: ['main', 'test'], reason: 'bech32-for-witness-v1-plus', source: 'BIP-173 valid list, bech32 on v2' },
  // Networks
  { address: 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080', networks: ['main', 'test', 'signet'], reason: 'wrong-network', source: 'regtest address elsewhere' },
  { address: 'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0', networks: ['regtest', 'test', 'testnet4'], reason: 'wrong-network', source: 'mainnet taproot elsewhere' },
  { address: 'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7', networks: ['main', 'regtest'], reason: 'wrong-network', source: 'testnet address elsewhere' },
  { address: '1AGNa15ZQXAZUgFiqJ2i7Z2DPU2J6hW62i', networks: ['regtest', 'test', 'signet'], reason: 'wrong-network', source: 'mainnet P2PKH elsewhere' },
  { address: '2N2JD6wb56AfK4tfmM6PwdVmoYk2dCKf4Br', networks: ['main'], reason: 'wrong-network', source: 'testnet P2SH on mainnet' },
  // Base58 failures
  { address: '1AGNa15ZQXAZUgFiqJ2i7Z2DPU2J6hW62j', networks: ALL, reason: 'bad-checksum', source: 'last character changed' },
  { address: '1AGNa15ZQXAZUgFiqJ2i7Z2DPU2J6hW6Oi', networks: ALL, reason: 'invalid-encoding', source: '"O" is not in the Base58 alphabet' },
  { address: 'LUVKqDPPVBQcjUwt1S21Pa5ybgPaDEZhXR', networks: ALL, reason: 'unsupported-base58-version', source: 'version byte 0x30 (another coin)' },
  { address: '136kQLW8Lq4ykRkfUi1qjih9hS9rKNd1P', networks: ['main'], reason: 'invalid-length', source: 'P2PKH version with a 19-byte hash' },
  { address: '1htrCfM82p9CMAFyeAAYTvLMgAGi6fTLEZF', networks: ['main'], reason: 'invalid-length', source: 'P2PKH version with a 21-byte hash' },
  { address: 'FDCtAy3y3fsCudd993UPLaJRxGWG6ALWBVrqAu8', networks: ['main'], reason: 'invalid-length', source: 'more than 21 payload bytes' },
  { address: `bc1${'q'.repeat(88)}`, networks: ['main'], reason: 'invalid-length', source: 'over 90 characters' },
  { address: '', networks: ALL, reason: 'invalid-encoding', source: 'empty string' },
  { address: ' 1AGNa15ZQXAZUgFiqJ2i7Z2DPU2J6hW62i', networks: ['main'], reason: 'invalid-encoding', source: 'surrounding whitespace (callers trim)' },
];
