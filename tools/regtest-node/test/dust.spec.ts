import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { p2pkh } from '@scure/btc-signer';
import { decodeAddress, REGTEST, scriptToAddress } from '../src/addresses';
import { EXTERNAL_ADDRESS, type RunningRegtestNode } from '../src/index';
import { dustThreshold } from '../src/policy';
import { expectRpcError, signedTx, startFundedNode, walletCoins, type Rpc } from './helpers';

const KEY = Uint8Array.from([0x02, ...new Uint8Array(32).fill(7)]);
const TAPROOT = scriptToAddress(Uint8Array.from([0x51, 32, ...new Uint8Array(32).fill(9)])) as string;

// Bitcoin Core 29, src/policy/policy.cpp GetDustThreshold / IsStandardTx (MAX_DUST_OUTPUTS_PER_TX = 1) and
// src/policy/ephemeral_policy.cpp PreCheckEphemeralTx ("tx with dust output must be 0-fee"); -dustrelayfee 3 sat/vB.
describe('dust (point 4)', () => {
  let node: RunningRegtestNode;
  let rpc: Rpc;

  beforeAll(async () => {
    ({ node, rpc } = await startFundedNode());
    await rpc('generatetoaddress', [3, await rpc<string>('getnewaddress')]);
  });
  afterAll(() => node.close());

  it('GetDustThreshold: P2PKH 546, P2SH 540, P2WPKH 294, P2WSH 330, P2TR 330, OP_RETURN 0 sats', () => {
    const script = (address: string) => (decodeAddress(address) ?? expect.unreachable(address)).script;
    expect(dustThreshold(p2pkh(KEY, REGTEST).script)).toBe(546n);
    expect(dustThreshold(Uint8Array.from([0xa9, 20, ...new Uint8Array(20), 0x87]))).toBe(540n);
    expect(dustThreshold(script(EXTERNAL_ADDRESS))).toBe(294n);
    expect(dustThreshold(Uint8Array.from([0x00, 32, ...new Uint8Array(32)]))).toBe(330n);
    expect(dustThreshold(script(TAPROOT))).toBe(330n);
    expect(dustThreshold(Uint8Array.of(0x6a, 0x01, 0x00))).toBe(0n);
  });

  it('refuses a fee-paying transaction with one dust output: -26 "dust, tx with dust output must be 0-fee"', async () => {
    const [coin] = await walletCoins(rpc);
    const change = await rpc<string>('getnewaddress');
    const dusty = await signedTx(rpc, [coin], [[EXTERNAL_ADDRESS, 100n], [change, coin.sats - 100n - 10_000n]]);
    await expectRpcError(rpc('sendrawtransaction', [dusty.hex]), -26, 'dust, tx with dust output must be 0-fee');
    const justBelow = await signedTx(rpc, [coin], [[EXTERNAL_ADDRESS, 293n], [change, coin.sats - 293n - 10_000n]]);
    await expectRpcError(rpc('sendrawtransaction', [justBelow.hex]), -26, 'dust, tx with dust output must be 0-fee');
    const taprootDust = await signedTx(rpc, [coin], [[TAPROOT, 329n], [change, coin.sats - 329n - 10_000n]]);
    await expectRpcError(rpc('sendrawtransaction', [taprootDust.hex]), -26, 'dust, tx with dust output must be 0-fee');
    const atThreshold = await signedTx(rpc, [coin], [[EXTERNAL_ADDRESS, 294n], [TAPROOT, 330n], [change, coin.sats - 624n - 10_000n]]);
    expect(await rpc('sendrawtransaction', [atThreshold.hex])).toBe(atThreshold.txid);
  });

  it('refuses two dust outputs as non-standard: -26 "dust"', async () => {
    const [coin] = await walletCoins(rpc);
    const change = await rpc<string>('getnewaddress');
    const twoDust = await signedTx(rpc, [coin], [[EXTERNAL_ADDRESS, 100n], [EXTERNAL_ADDRESS, 200n], [change, coin.sats - 300n - 10_000n]]);
    await expectRpcError(rpc('sendrawtransaction', [twoDust.hex]), -26, 'dust');
  });

  it('the wallet refuses to create dust: sendtoaddress -6, fundrawtransaction -4 "Transaction amount too small"', async () => {
    await expectRpcError(rpc('sendtoaddress', [EXTERNAL_ADDRESS, 0.00000293]), -6, 'Transaction amount too small');
    const raw = await rpc<string>('createrawtransaction', [[], { [EXTERNAL_ADDRESS]: 0.000001 }]);
    await expectRpcError(rpc('fundrawtransaction', [raw]), -4, 'Transaction amount too small');
    expect(await rpc('sendtoaddress', [EXTERNAL_ADDRESS, 0.00000294])).toMatch(/^[0-9a-f]{64}$/);
    // Subtracting the fee must leave a non-dust amount (CreateTransactionInternal).
    const subtract = (amount: number) => rpc('sendtoaddress', { address: EXTERNAL_ADDRESS, amount, subtractfeefromamount: true, fee_rate: 20 });
    await expectRpcError(subtract(0.00003), -6, 'The transaction amount is too small to send after the fee has been deducted');
    await expectRpcError(subtract(0.000003), -6, 'The transaction amount is too small to pay the fee');
  });
});
