import { expect } from 'vitest';
import { eventually, type System } from '@bitro/system-testing';

/**
 * Every ledger journal has its audit record (the trail follows the ledger through `wallet.journal-posted.v1`),
 * and the chain and blocks verify (`npm run audit:verify`).
 */
export async function expectEveryJournalAudited(system: System): Promise<void> {
  const unaudited = async () =>
    (
      await system.apiPool.query<{ id: string }>(
        `SELECT j.id FROM "wallet"."journals" j
         WHERE NOT EXISTS (SELECT 1 FROM "audit"."records" r WHERE r.source_key = 'ledger.journal:' || j.id::text)`,
      )
    ).rows.map((row) => row.id);
  let missing: string[] = [];
  await eventually(
    async () => (missing = await unaudited()).length === 0,
    () => `journals without an audit record: ${missing.join(', ')}\n${system.logs()}`,
  );
  const { rows } = await system.apiPool.query<{ journals: number; records: number }>(
    `SELECT (SELECT count(*)::int FROM "wallet"."journals") AS journals,
            (SELECT count(*)::int FROM "audit"."records" WHERE type = 'ledger.journal') AS records`,
  );
  expect(rows[0].journals).toBeGreaterThan(0);
  expect(rows[0].records).toBe(rows[0].journals);
  const { code, output } = system.command('audit:verify');
  expect(code, output).toBe(0);
}
