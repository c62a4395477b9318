import type { INestApplicationContext } from '@nestjs/common';
import { parseArgs } from 'node:util';
import { RECONCILIATION_API, RECONCILIATION_CATEGORIES, type ReconciliationApi, type ReconciliationReport } from '@bitro/service-api';
import type { Command } from '@bitro/cli';

const USAGE = `reconcile [--grace-seconds <n>] [--window-hours <n> | --all]
  Redemptions approved longer than the grace ago are credited exactly once; every redemption credit matches one; deposits
  credited and reversed once; withdrawals' holds match their status; no publication incomplete after the grace.
  Defaults: RECONCILE_GRACE_MINUTES, RECONCILE_WINDOW_HOURS; --all compares the whole history. Exit 1 naming the ids.`;

const count = (name: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw Object.assign(new Error(`--${name} must be a whole number, not "${value}"`), { code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' });
  return Number(value);
};

/** Prints the report; every category that drifted is named with its ids on the closing lines. */
function print(report: ReconciliationReport): number {
  console.log(JSON.stringify(report, null, 2));
  if (report.ok) {
    console.log('reconcile: OK');
    return 0;
  }
  for (const category of RECONCILIATION_CATEGORIES) {
    const { count: found, items } = report.categories[category];
    if (found > 0) console.log(`reconcile: ${category}: ${found} — ${items.map((item) => item.id).join(', ')}${found > items.length ? ', …' : ''}`);
  }
  console.log('reconcile: DRIFT');
  return 1;
}

/** The cross-domain reconciliation check; exits 1 naming what drifted. */
export const reconcileCommand: Command = {
  name: 'reconcile',
  usage: USAGE,
  async run(app: INestApplicationContext, argv: string[]): Promise<number> {
    const { values } = parseArgs({ args: argv, options: { 'grace-seconds': { type: 'string' }, 'window-hours': { type: 'string' }, all: { type: 'boolean' } }, strict: true });
    const graceSeconds = count('grace-seconds', values['grace-seconds']);
    const windowHours = count('window-hours', values['window-hours']);
    const report = await app.get<ReconciliationApi>(RECONCILIATION_API).reconcile({
      trigger: 'command',
      ...(graceSeconds === undefined ? {} : { graceMs: graceSeconds * 1000 }),
      ...(values.all ? { windowMs: null } : windowHours === undefined ? {} : { windowMs: windowHours * 3_600_000 }),
    });
    return print(report);
  },
};
