import type { INestApplicationContext } from '@nestjs/common';
import { parseArgs } from 'node:util';
import { WALLET_OPS_API, type WalletOpsApi } from '@bitro/service-api';
import type { Command } from '@bitro/cli';

/**
 * Gives the audit trail the ledger journals it lacks (posted before it existed, or lost with a dropped event): the
 * wallet announces its journals again and the audit consumer records those it has no record of, once each.
 */
export const auditBackfillCommand: Command = {
  name: 'audit:backfill',
  usage: 'audit:backfill [--since <ISO date>]   (announces ledger journals again; the audit trail records the missing ones)',
  async run(app: INestApplicationContext, argv: string[]): Promise<number> {
    const { values } = parseArgs({ args: argv, options: { since: { type: 'string' } }, strict: true });
    const since = values.since === undefined ? undefined : new Date(values.since);
    if (since && Number.isNaN(since.getTime())) {
      console.error(`Not a date: ${values.since}\nUsage: ${this.usage}`);
      return 2;
    }
    const { journals } = await app.get<WalletOpsApi>(WALLET_OPS_API).announceJournals({ since });
    console.log(`audit:backfill: ${journals} journal(s) announced; the audit consumer records those the trail lacks (check with audit:verify).`);
    return 0;
  },
};
