import { existsSync, mkdirSync, writeFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { startRegtestNode } from './index';

/** `--name value` / `--name=value` flags, falling back to REGTEST_<NAME> environment variables. */
function flag(name: string): string | undefined {
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    if (args[i] === `--${name}`) return args[i + 1];
    if (args[i].startsWith(`--${name}=`)) return args[i].slice(name.length + 3);
  }
  return process.env[`REGTEST_${name.toUpperCase().replace(/-/g, '_')}`];
}

async function main(): Promise<void> {
  const datadir = flag('datadir');
  const rpcUser = flag('rpcuser');
  const rpcPassword = flag('rpcpassword');
  const feeRate = flag('feerate');
  const running = await startRegtestNode({
    port: Number(flag('port') ?? 18443),
    host: flag('rpcbind') ?? '127.0.0.1',
    rpcUser,
    rpcPassword,
    controlUser: flag('controluser'),
    controlPassword: flag('controlpassword'),
    wallets: (flag('wallet') ?? 'bitro').split(','),
    encryptedPassphrase: flag('encrypted'),
    seedHex: flag('seed'),
    feeRateSatPerKvB: feeRate ? BigInt(feeRate) : null,
    datadir,
    mempoolExpiryHours: flag('mempoolexpiry') === undefined ? undefined : Number(flag('mempoolexpiry')),
  });
  let cookie: string | undefined;
  if (!rpcUser && datadir) {
    // Like bitcoind without -rpcpassword: credentials in <datadir>/.cookie as __cookie__:<hex>.
    if (!existsSync(datadir)) mkdirSync(datadir, { recursive: true });
    cookie = join(datadir, '.cookie');
    writeFileSync(cookie, `${running.credentials.user}:${running.credentials.password}`, { mode: 0o600 });
  }
  console.log(`regtest-node listening on ${running.url} (wallets: ${[...running.node.wallets.keys()].join(', ')})`);
  if (cookie) console.log(`cookie: ${cookie}`);
  else if (!rpcUser) console.log(`rpc credentials: ${running.credentials.user}:${running.credentials.password}`);
  const stop = () => {
    if (cookie && existsSync(cookie)) unlinkSync(cookie);
    void running.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
