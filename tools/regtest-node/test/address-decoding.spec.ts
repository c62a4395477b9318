import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hex } from '@scure/base';
import { scriptToAddress } from '../src/addresses';
import { EXTERNAL_ADDRESS, type RunningRegtestNode } from '../src/index';
import { CORE_HELP } from '../src/rpc/core-help.generated';
import { decodeTx } from '../src/tx';
import { expectRpcError, startFundedNode, type Rpc } from './helpers';

type Validation = { isvalid: boolean; address?: string; scriptPubKey?: string; isscript?: boolean; iswitness?: boolean; witness_version?: number; witness_program?: string; error?: string; error_locations?: number[] };

/** Bitcoin Core 29's test/functional/rpc_invalid_address_message.py vectors on regtest: address, error, error_locations. */
const INVALID: [string, string, number[]][] = [
  ['bcrt1s0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav25430mtr', 'Invalid Bech32 address program size (41 bytes)', []],
  ['bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx', 'Invalid or unsupported Segwit (Bech32) or Base58 encoding.', []],
  ['bcrt1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqdmchcc', 'Version 1+ witness address must use Bech32m checksum', []],
  ['bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7k35mrzd', 'Version 0 witness address must use Bech32 checksum', []],
  ['bcrt130xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqynjegk', 'Invalid Bech32 address witness version', []],
  ['bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kqqq5k3my', 'Invalid Bech32 v0 address program size (21 bytes), per BIP141', []],
  [
    'bcrt1q049edschfnwystcqnsvyfpj23mpsg3jcedq9xv049edschfnwystcqnsvyfpj23mpsg3jcedq9xv049edschfnwystcqnsvyfpj23m',
    'Bech32 string too long',
    Array.from({ length: 18 }, (_, i) => 90 + i),
  ],
  ['bcrt1q049edschfnwystcqnsvyfpj23mpsg3jcedq9xv', 'Invalid Bech32 checksum', [9]],
  ['bcrt1qax9suht3qv95sw33xavx8crpxduefdrsvgsklu', 'Invalid Bech32 checksum', [22, 43]],
  ['BCRT1QPLMTZKC2XHARPPZDLNPAQL78RSHJ68U32RAH7R', 'Invalid Bech32 checksum', [38]],
  ['bcrtq049ldschfnwystcqnsvyfpj23mpsg3jcedq9xv', 'Missing separator', []],
  ['bcrt1q04oldschfnwystcqnsvyfpj23mpsg3jcedq9xv', 'Invalid Base 32 character', [8]],
  ['bcrt1qdg3myrgvzw7ml8q0ejxhlkyxn7vl9r56yzkfgvzclrf4hkpx9yfqhpsuks', 'Invalid Bech32 checksum', [19, 30]],
  ['bcrt1ptmp74ayg7p24uslctssvjm06q5phz4yrxucgnv', 'Invalid Bech32 checksum', [5]],
  ['17VZNX1SN5NtKa8UQFxwQbFeFc3iqRYhem', 'Invalid or unsupported Base58-encoded address.', []],
  ['mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJJfn', 'Invalid checksum or length of Base58 address (P2PKH or P2SH)', []],
  ['2VKf7XKMrp4bVNVmuRbyCewkP8FhGLP2E54LHDPakr9Sq5mtU2', 'Invalid checksum or length of Base58 address (P2PKH or P2SH)', []],
  ['asfah14i8fajz0123f', 'Invalid or unsupported Segwit (Bech32) or Base58 encoding.', []],
  ['1q049ldschfnwystcqnsvyfpj23mpsg3jcedq9xv', 'Invalid or unsupported Segwit (Bech32) or Base58 encoding.', []],
];
const VALID = [
  'bcrt1qtmp74ayg7p24uslctssvjm06q5phz4yrxucgnv',
  'bcrt1p424qxxyd0r',
  'BCRT1QPLMTZKC2XHARPPZDLNPAQL78RSHJ68U33RAH7R',
  'bcrt1qdg3myrgvzw7ml9q0ejxhlkyxm7vl9r56yzkfgvzclrf4hkpx9yfqhpsuks',
  'mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn',
];

/** The first x that is not the x-coordinate of a secp256k1 point (x³ + 7 is not a square mod p). */
function offCurveX(): Uint8Array {
  const p = 2n ** 256n - 2n ** 32n - 977n;
  const pow = (b: bigint, e: bigint): bigint => {
    let r = 1n;
    for (let base = b % p, x = e; x > 0n; x >>= 1n, base = (base * base) % p) if (x & 1n) r = (r * base) % p;
    return r;
  };
  for (let x = 1n; ; x++) if (pow((x ** 3n + 7n) % p, (p - 1n) / 2n) !== 1n) return hex.decode(x.toString(16).padStart(64, '0'));
}
const witnessAddress = (version: number, program: Uint8Array) => scriptToAddress(Uint8Array.from([version === 0 ? 0 : 0x50 + version, program.length, ...program])) as string;

// Bitcoin Core 29: src/key_io.cpp DecodeDestination, src/bech32.cpp LocateErrors, src/rpc/output_script.cpp
// validateaddress, src/rpc/util.cpp DescribeAddressVisitor and RPCHelpMan::HandleRequest (argument errors).
describe('address decoding (point 6)', () => {
  let node: RunningRegtestNode;
  let rpc: Rpc;

  beforeAll(async () => {
    ({ node, rpc } = await startFundedNode());
  });
  afterAll(() => node.close());

  it('answers Core\'s error and error_locations for each of Core\'s invalid-address vectors', async () => {
    for (const [address, error, locations] of INVALID) {
      expect(await rpc('validateaddress', [address]), address).toEqual({ isvalid: false, error_locations: locations, error });
    }
  });

  it('accepts Core\'s valid vectors, answering the address re-encoded (lower case)', async () => {
    for (const address of VALID) {
      const result = await rpc<Validation>('validateaddress', [address]);
      expect(result, address).toMatchObject({ isvalid: true, address: address.startsWith('BCRT') ? address.toLowerCase() : address });
      expect(result).not.toHaveProperty('error');
    }
    // A 2-byte v1 program is an unknown witness (no isscript); the pay-to-anchor program 4e73 is its own kind.
    expect(await rpc('validateaddress', ['bcrt1p424qxxyd0r'])).toEqual({
      isvalid: true,
      address: 'bcrt1p424qxxyd0r',
      scriptPubKey: '5102aaaa',
      iswitness: true,
      witness_version: 1,
      witness_program: 'aaaa',
    });
    const anchor = witnessAddress(1, Uint8Array.of(0x4e, 0x73));
    expect(await rpc('validateaddress', [anchor])).toEqual({ isvalid: true, address: anchor, scriptPubKey: '51024e73', isscript: true, iswitness: true });
  });

  it('accepts a taproot output whose key is off the curve, and witness v2–16 programs of 2–40 bytes', async () => {
    const x = offCurveX();
    const offCurve = witnessAddress(1, x);
    expect(await rpc('validateaddress', [offCurve])).toEqual({
      isvalid: true,
      address: offCurve,
      scriptPubKey: `5120${hex.encode(x)}`,
      isscript: true,
      iswitness: true,
      witness_version: 1,
      witness_program: hex.encode(x),
    });
    for (const [version, size] of [[2, 2], [2, 40], [16, 2], [16, 40], [3, 32]]) {
      const program = new Uint8Array(size).fill(version);
      const address = witnessAddress(version, program);
      expect(await rpc('validateaddress', [address]), address).toEqual({
        isvalid: true,
        address,
        scriptPubKey: hex.encode(Uint8Array.from([0x50 + version, size, ...program])),
        iswitness: true,
        witness_version: version,
        witness_program: hex.encode(program),
      });
    }
    const v16 = witnessAddress(16, new Uint8Array(40).fill(1));
    // createrawtransaction and sendtoaddress accept them as destinations (ParseOutputs, ParseRecipients).
    const raw = await rpc<string>('createrawtransaction', [[], { [offCurve]: 0.1, [v16]: 0.2 }]);
    expect(decodeTx(raw).outputs.map((o) => hex.encode(o.script))).toEqual([`5120${hex.encode(x)}`, `6028${'01'.repeat(40)}`]);
    for (const address of [offCurve, v16]) {
      const txid = await rpc<string>('sendtoaddress', [address, 0.01]);
      const decoded = await rpc<{ vout: { scriptPubKey: { address?: string } }[] }>('getrawtransaction', [txid, 1]);
      expect(decoded.vout.map((o) => o.scriptPubKey.address)).toContain(address);
    }
  });

  it('refuses invalid destinations with Core\'s messages in createrawtransaction, sendtoaddress and getaddressinfo', async () => {
    const [bad, error] = INVALID[0];
    await expectRpcError(rpc('createrawtransaction', [[], { [bad]: 0.1 }]), -5, `Invalid Bitcoin address: ${bad}`);
    await expectRpcError(rpc('sendtoaddress', [bad, 0.1]), -5, `Invalid Bitcoin address: ${bad}`);
    await expectRpcError(rpc('getaddressinfo', [bad]), -5, error);
    await expectRpcError(rpc('getaddressinfo', ['17VZNX1SN5NtKa8UQFxwQbFeFc3iqRYhem']), -5, 'Invalid or unsupported Base58-encoded address.');
  });

  it('argument errors as Core: -1 with the full help text for a wrong count, -3 "Wrong type passed" naming each position', async () => {
    await expectRpcError(rpc('validateaddress', []), -1, CORE_HELP.validateaddress.help);
    expect(CORE_HELP.validateaddress.help).toMatch(/^validateaddress "address"\n\nReturn information about the given bitcoin address\./);
    await expectRpcError(rpc('validateaddress', ['a', 'b']), -1, CORE_HELP.validateaddress.help);
    await expectRpcError(
      rpc('validateaddress', [null]),
      -3,
      'Wrong type passed:\n{\n    "Position 1 (address)": "JSON value of type null is not of expected type string"\n}',
    );
    await expectRpcError(
      rpc('sendtoaddress', [1, 0.1, 2]),
      -3,
      'Wrong type passed:\n{\n    "Position 1 (address)": "JSON value of type number is not of expected type string",\n    "Position 3 (comment)": "JSON value of type number is not of expected type string"\n}',
    );
    await expectRpcError(rpc('sendtoaddress', [EXTERNAL_ADDRESS]), -1, CORE_HELP.sendtoaddress.help);
    // Amounts are "numeric or string": not type-checked before the call; AmountFromValue refuses a bad one.
    await expectRpcError(rpc('sendtoaddress', [EXTERNAL_ADDRESS, true]), -3, 'Amount is not a number or string');
  });
});
