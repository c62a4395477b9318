import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTERNAL_ADDRESS, type RunningRegtestNode } from '../src/index';
import { client, expectRpcError, startNode, type Rpc } from './helpers';

const LOCKED = 'Error: Please enter the wallet passphrase with walletpassphrase first.';

// Bitcoin Core 29: src/wallet/rpc/wallet.cpp loadwallet/unloadwallet, src/wallet/rpc/util.cpp GetWalletForJSONRPCRequest
// and HandleWalletError, src/wallet/rpc/encrypt.cpp encryptwallet/walletpassphrase/walletlock, EnsureWalletIsUnlocked.
describe('loadwallet, unloadwallet, encryptwallet', () => {
  let node: RunningRegtestNode;
  let root: Rpc;
  let bitro: Rpc;

  beforeAll(async () => {
    node = await startNode({ wallets: ['bitro', 'other'] });
    root = client(node);
    bitro = client(node, 'bitro');
    await bitro('generatetoaddress', [101, await bitro<string>('getnewaddress')]);
  });
  afterAll(() => node.close());

  it('after unloadwallet, wallet RPCs answer -18; loadwallet brings it back with what it missed', async () => {
    const ours = await bitro<string>('getnewaddress');
    expect(await bitro('unloadwallet')).toEqual({});
    await expectRpcError(bitro('getbalances'), -18, 'Requested wallet does not exist or is not loaded');
    await expectRpcError(bitro('unloadwallet'), -18, 'Requested wallet does not exist or is not loaded');
    expect(await root('listwallets')).toEqual(['other']);
    const other = client(node, 'other');
    await root('generatetoaddress', [101, await other<string>('getnewaddress')]);
    const missed = await other<string>('sendtoaddress', [ours, 1]);
    expect(await root('loadwallet', ['bitro'])).toEqual({ name: 'bitro' });
    await expectRpcError(root('loadwallet', ['bitro']), -35, 'Wallet "bitro" is already loaded.');
    await expectRpcError(root('loadwallet', ['nosuch']), -18, /^Wallet file verification failed\. Failed to load database path '.*nosuch'\. Path does not exist\.$/);
    expect(await root('listwallets')).toEqual(['other', 'bitro']);
    // Loading rescans: the payment made while it was unloaded is the wallet's.
    expect(await bitro<{ amount: number }>('gettransaction', [missed])).toMatchObject({ amount: 1 });
  });

  it('unloadwallet names the wallet by URI or argument, which must agree (-8)', async () => {
    await expectRpcError(bitro('unloadwallet', ['other']), -8, 'RPC endpoint wallet and wallet_name parameter specify different wallets');
    expect(await root('unloadwallet', ['other'])).toEqual({});
    expect(await root('loadwallet', ['other'])).toEqual({ name: 'other' });
  });

  it('encryptwallet locks the wallet: signing answers -13 until walletpassphrase, and again after walletlock', async () => {
    await expectRpcError(bitro('encryptwallet', ['']), -8, 'passphrase cannot be empty');
    expect(await bitro('encryptwallet', ['secret'])).toBe(
      'wallet encrypted; The keypool has been flushed and a new HD seed was generated. You need to make a new backup with the backupwallet RPC.',
    );
    await expectRpcError(bitro('encryptwallet', ['again']), -15, 'Error: running with an encrypted wallet, but encryptwallet was called.');
    await expectRpcError(bitro('sendtoaddress', [EXTERNAL_ADDRESS, 1]), -13, LOCKED);
    const funded = await bitro<{ hex: string }>('fundrawtransaction', [await bitro<string>('createrawtransaction', [[], { [EXTERNAL_ADDRESS]: 1 }])]);
    await expectRpcError(bitro('signrawtransactionwithwallet', [funded.hex]), -13, LOCKED);
    await expectRpcError(bitro('walletpassphrase', ['wrong', 60]), -14, 'Error: The wallet passphrase entered was incorrect.');
    await bitro('walletpassphrase', ['secret', 60]);
    expect((await bitro<{ complete: boolean }>('signrawtransactionwithwallet', [funded.hex])).complete).toBe(true);
    await bitro('walletlock');
    await expectRpcError(bitro('signrawtransactionwithwallet', [funded.hex]), -13, LOCKED);
  });
});
