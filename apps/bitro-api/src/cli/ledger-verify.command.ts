import type { INestApplicationContext } from '@nestjs/common';
import { WALLET_OPS_API, type WalletOpsApi } from '@bitro/service-api';
import type { Command } from '@bitro/cli';

/** Proves the ledger's invariants; exits 1 when one is broken. */
export const ledgerVerifyCommand: Command = {
  name: 'ledger:verify',
  usage: 'ledger:verify   (every journal sums to zero, every cached balance equals its postings, no negative user balance)',
  async run(app: INestApplicationContext): Promise<number> {
    const report = await app.get<WalletOpsApi>(WALLET_OPS_API).verifyLedger();
    console.log(JSON.stringify(report, (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value), 2));
    console.log(report.ok ? 'ledger: OK' : 'ledger: BROKEN');
    return report.ok ? 0 : 1;
  },
};
