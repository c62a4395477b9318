import type { System } from '@bitro/system-testing';

/** What a reconciliation found: nothing when clean, otherwise one line per finding naming the ids. */
export interface Reconciliation {
  findings: string[];
}

/**
 * The cross-domain reconciliation, with everything older than `windowSeconds` expected to be settled: redemptions ↔
 * their credit journals, deposits ↔ credits and reversals, withdrawals ↔ hold, settlement and release, and incomplete
 * publications. The one place the drills ask it, so it can become the `reconcile` command without touching a drill.
 */
export async function reconcile(system: System, windowSeconds = 0): Promise<Reconciliation> {
  const query = async (sql: string) => (await system.apiPool.query<{ finding: string }>(sql, [windowSeconds])).rows.map((row) => row.finding);
  const checks = [
    // Every approved redemption is credited, with exactly one credit journal.
    `SELECT 'redemption ' || r.id || ' is ' || r.state || ' with ' || count(j.id) || ' credit journals' AS finding
       FROM "giftcard"."redemptions" r LEFT JOIN "wallet"."journals" j ON j.reference = 'redemption:' || r.id::text
      WHERE r.state IN ('verified', 'credited') AND r.updated_at < now() - make_interval(secs => $1)
      GROUP BY r.id, r.state HAVING r.state <> 'credited' OR count(j.id) <> 1`,
    // Every redemption credit journal belongs to a credited redemption.
    `SELECT 'credit journal ' || j.reference || ' has no credited redemption' AS finding
       FROM "wallet"."journals" j
      WHERE j.reference LIKE 'redemption:%' AND j.created_at < now() - make_interval(secs => $1)
        AND NOT EXISTS (SELECT 1 FROM "giftcard"."redemptions" r WHERE 'redemption:' || r.id::text = j.reference AND r.state = 'credited')`,
    // A confirmed deposit is credited once more than it is reversed; a reversed one as often as it was credited.
    `SELECT 'deposit ' || d.id || ' (' || d.status || ') has ' || credited || ' credits and ' || reversed || ' reversals' AS finding
       FROM (SELECT d.id, d.status, d.updated_at,
               (SELECT count(*) FROM "wallet"."journals" j WHERE j.reference LIKE 'deposit:' || d.txid || ':' || d.vout || ':%') AS credited,
               (SELECT count(*) FROM "wallet"."journals" j WHERE j.reference LIKE 'deposit-reversal:' || d.txid || ':' || d.vout || ':%') AS reversed
             FROM "wallet"."deposits" d WHERE d.amount_sats > d.shortfall_sats) d
      WHERE d.updated_at < now() - make_interval(secs => $1)
        AND CASE d.status WHEN 'confirmed' THEN credited - reversed <> 1 ELSE credited <> reversed END`,
    // A withdrawal holds once; it is settled when confirmed, released in full when failed or rejected, neither while open.
    `SELECT 'withdrawal ' || w.id || ' (' || w.status || ') has ' || holds || ' holds, ' || settles || ' settlements, ' || releases || ' releases' AS finding
       FROM (SELECT w.id, w.status, w.updated_at,
               (SELECT count(*) FROM "wallet"."journals" j WHERE j.reference = 'withdrawal:' || w.id || ':hold') AS holds,
               (SELECT count(*) FROM "wallet"."journals" j WHERE j.reference = 'withdrawal:' || w.id || ':settle') AS settles,
               (SELECT count(*) FROM "wallet"."journals" j WHERE j.reference = 'withdrawal:' || w.id || ':release') AS releases
             FROM "wallet"."withdrawals" w) w
      WHERE w.updated_at < now() - make_interval(secs => $1)
        AND (holds <> 1 OR CASE WHEN w.status = 'confirmed' THEN settles <> 1
                                WHEN w.status IN ('failed', 'rejected') THEN settles <> 0 OR releases <> 1
                                ELSE settles + releases <> 0 END)`,
  ];
  const findings = (await Promise.all(checks.map(query))).flat();
  if (await publicationsExist(system)) {
    findings.push(
      ...(await query(`SELECT 'publication ' || event_id || ' of ' || event_name || ' to ' || consumer || ' is incomplete' AS finding
                         FROM "messaging"."publications" WHERE completed_at IS NULL AND created_at < now() - make_interval(secs => $1)`)),
    );
  }
  return { findings };
}

/** Whether bitro-api's database keeps the publication record (messaging.publications). */
export async function publicationsExist(system: System): Promise<boolean> {
  const { rows } = await system.apiPool.query<{ found: string | null }>(`SELECT to_regclass('"messaging"."publications"')::text AS found`);
  return rows[0]?.found !== null && rows[0]?.found !== undefined;
}
