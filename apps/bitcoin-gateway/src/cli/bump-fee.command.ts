import type { INestApplicationContext } from '@nestjs/common';
import { parseArgs } from 'node:util';
import { FeeBumpRefusedError, WithdrawalFeeBumper } from '@bitro/bitcoin';
import type { Command } from '@bitro/cli';

/** RBF: replaces the transaction of a stuck withdrawal by one paying a higher fee rate. */
export const bumpFeeCommand: Command = {
  name: 'withdrawals:bump-fee',
  usage: 'withdrawals:bump-fee <withdrawal id> --fee-rate <sat/vB>   (replaces its unconfirmed transaction; every withdrawal in it moves along)',
  async run(app: INestApplicationContext, argv: string[]): Promise<number> {
    const { values, positionals } = parseArgs({ args: argv, options: { 'fee-rate': { type: 'string' } }, allowPositionals: true, strict: true });
    const [withdrawalId] = positionals;
    const feeRate = values['fee-rate'];
    if (positionals.length !== 1 || !withdrawalId || !feeRate) {
      console.error(`Usage: ${this.usage}`);
      return 2;
    }
    try {
      const result = await app.get(WithdrawalFeeBumper).bump(withdrawalId, feeRate);
      console.log(JSON.stringify({ ...result, feeSats: result.feeSats.toString() }, null, 2));
      return result.status === 'superseded' ? 1 : 0;
    } catch (error) {
      if (!(error instanceof FeeBumpRefusedError)) throw error;
      console.error(`Not bumped (${error.reason}): ${error.message}`);
      return 1;
    }
  },
};
