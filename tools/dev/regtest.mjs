#!/usr/bin/env node
// `npm run regtest -- <command>`: plays the outside world against the regtest node `npm start` runs.
//   send <address> <btc>   pays <address> from the "outside" wallet (a deposit, when it is a Bitro deposit address)
//   mine [blocks]          mines blocks (default 1) to the outside wallet: confirms what is in the mempool
//   address                a new address of the outside wallet (somewhere to withdraw to)
//   balance                the balances of the gateway's and the outside wallet
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { bitcoinRpc } from './services.mjs';
import { REGTEST_WALLETS } from './regtest-wallets.mjs';

const root = join(import.meta.dirname, '..', '..');
for (const file of ['.env', '.data/runtime.env']) {
  if (existsSync(join(root, file))) process.loadEnvFile(join(root, file));
}
const rpc = { url: process.env.BITCOIN_RPC_URL, user: process.env.BITCOIN_RPC_USER, password: process.env.BITCOIN_RPC_PASSWORD };
const usage = 'usage: npm run regtest -- send <address> <btc> | mine [blocks] | address | balance';

const commands = {
  async send(address, btc) {
    if (!address || !/^\d+(\.\d{1,8})?$/.test(btc ?? '')) throw new Error(usage);
    console.log(await bitcoinRpc(rpc, 'sendtoaddress', [address, btc], REGTEST_WALLETS.outside));
  },
  async mine(blocks = '1') {
    if (!/^\d+$/.test(blocks)) throw new Error(usage);
    const address = await bitcoinRpc(rpc, 'getnewaddress', [], REGTEST_WALLETS.outside);
    const hashes = await bitcoinRpc(rpc, 'generatetoaddress', [Number(blocks), address]);
    console.log(`mined ${hashes.length} block(s); height ${await bitcoinRpc(rpc, 'getblockcount')}`);
  },
  async address() {
    console.log(await bitcoinRpc(rpc, 'getnewaddress', [], REGTEST_WALLETS.outside));
  },
  async balance() {
    for (const wallet of Object.values(REGTEST_WALLETS)) console.log(wallet, (await bitcoinRpc(rpc, 'getbalances', [], wallet)).mine);
  },
};

const [name, ...args] = process.argv.slice(2);
if (!rpc.url || !rpc.user) {
  console.error('No node: run `npm start` first (it records the node in .data/runtime.env).');
  process.exit(1);
}
const command = commands[name];
if (!command) {
  console.error(usage);
  process.exit(2);
}
command(...args).catch((error) => {
  console.error(error.message);
  process.exit(1);
});
