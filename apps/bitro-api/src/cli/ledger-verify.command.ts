import type { INestApplicationContext } from '@nestjs/common';
import { WALLET_OPS_API, type WalletOpsApi } from '@bitro/service-api';
import { type Command, printReport } from '@bitro/cli';

/** Proves the ledger's invariants; exits 1 when one is broken. */
export const ledgerVerifyCommand: Command = {
  name: 'ledger:verify',
  usage: 'ledger:verify   (every journal sums to zero, every cached balance equals its postings, no negative user balance)',
  async run(app: INestApplicationContext): Promise<number> {
    return printReport('ledger', await app.get<WalletOpsApi>(WALLET_OPS_API).verifyLedger());
  },
};
