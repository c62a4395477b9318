// What PostgreSQL did during a run: pg_stat_statements (the bench's own cluster preloads it) and assigned xids.
// The bench's own queries run as OBSERVER and are left out.
export const OBSERVER = 'bench_observer';

export async function installStatements(admin) {
  await admin.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  await admin.query(`CREATE ROLE ${OBSERVER} LOGIN SUPERUSER PASSWORD '${OBSERVER}'`);
}

/** Empties pg_stat_statements and notes the next transaction id; `finish()` resolves what happened since. */
export async function startStatements(observer) {
  await observer.query('SELECT pg_stat_statements_reset()');
  const nextXid = async () => BigInt((await observer.query('SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS xid')).rows[0].xid);
  const firstXid = await nextXid();
  return {
    async finish(top = 10) {
      const writes = Number((await nextXid()) - firstXid);
      const { rows } = await observer.query(
        `SELECT regexp_replace(s.query, '\\s+', ' ', 'g') AS query, s.calls::bigint AS calls, s.total_exec_time AS ms, d.datname AS database
           FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
          WHERE s.userid <> (SELECT oid FROM pg_roles WHERE rolname = $1)`,
        [OBSERVER],
      );
      const statements = rows.map((row) => ({ query: row.query, database: row.database, calls: Number(row.calls), totalMs: Math.round(row.ms * 10) / 10 }));
      const sum = (list) => list.reduce((total, row) => total + row.calls, 0);
      return {
        statements: sum(statements),
        transactions: sum(statements.filter((row) => /^\s*(BEGIN|START TRANSACTION)\b/i.test(row.query))),
        writeTransactions: writes,
        byTotalTime: [...statements].sort((a, b) => b.totalMs - a.totalMs).slice(0, top),
        byCalls: [...statements].sort((a, b) => b.calls - a.calls).slice(0, top),
      };
    },
  };
}
