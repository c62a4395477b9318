import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTERNAL_ADDRESS, type RunningRegtestNode } from '../src/index';
import { expectRpcError, startFundedNode, type Rpc } from './helpers';

// Bitcoin Core 29, src/wallet/rpc/spend.cpp: SendMoney (sendtoaddress, sendmany) answers every CreateTransaction
// failure with RPC_WALLET_INSUFFICIENT_FUNDS (-6); the fundrawtransaction RPC answers FundTransaction's failure with
// RPC_WALLET_ERROR (-4). Messages from src/wallet/spend.cpp (CreateTransactionInternal, SelectCoins).
describe('wallet funding errors (point 1)', () => {
  let node: RunningRegtestNode;
  let rpc: Rpc;

  beforeAll(async () => {
    ({ node, rpc } = await startFundedNode());
  });
  afterAll(() => node.close());

  it('fundrawtransaction without enough funds: -4 "Insufficient funds"; sendtoaddress and sendmany: -6', async () => {
    const raw = await rpc<string>('createrawtransaction', [[], { [EXTERNAL_ADDRESS]: 100 }]);
    await expectRpcError(rpc('fundrawtransaction', [raw]), -4, 'Insufficient funds');
    await expectRpcError(rpc('sendtoaddress', [EXTERNAL_ADDRESS, 100]), -6, 'Insufficient funds');
    await expectRpcError(rpc('sendmany', ['', { [EXTERNAL_ADDRESS]: 100 }]), -6, 'Insufficient funds');
  });

  it('an explicit fee rate under the wallet minimum: -6 from sendtoaddress, -4 from fundrawtransaction (GetMinimumFeeRate)', async () => {
    const message = 'Fee rate (0.500 sat/vB) is lower than the minimum fee rate setting (1.000 sat/vB)';
    await expectRpcError(rpc('sendtoaddress', { address: EXTERNAL_ADDRESS, amount: 1, fee_rate: 0.5 }), -6, message);
    const raw = await rpc<string>('createrawtransaction', [[], { [EXTERNAL_ADDRESS]: 1 }]);
    await expectRpcError(rpc('fundrawtransaction', [raw, { fee_rate: 0.5 }]), -4, message);
  });

  it('funds and sends what it can afford', async () => {
    const raw = await rpc<string>('createrawtransaction', [[], { [EXTERNAL_ADDRESS]: 1 }]);
    expect((await rpc<{ changepos: number }>('fundrawtransaction', [raw])).changepos).toBe(1);
    expect(await rpc('sendtoaddress', [EXTERNAL_ADDRESS, 1])).toMatch(/^[0-9a-f]{64}$/);
  });
});
