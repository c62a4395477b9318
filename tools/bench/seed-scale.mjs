#!/usr/bin/env node
// Grows a new database to N wallet journals (default 1,000,000) for the query-plan check (seed-scale-plans.mjs):
//   node tools/bench/seed-scale.mjs [--journals 1000000] [--database bitro_scale_1m] [--replace]
// Creates the database on DATABASE_URL's server (default postgresql://postgres@127.0.0.1:5432), migrates it with
// tools/prisma/domains.mjs, fills it with SQL generate_series inside PostgreSQL and ANALYZEs it.
//
// Per N journals: N/10 users (one admin with a second factor, 1 % frozen), each journal a redemption credit with its
// two postings, its credited redemption and its notification (90 % read); N/1000 flagged redemptions; N/10 deposits
// and N/10 withdrawals (1 % awaiting approval). One user, the heavy one, owns every 20th journal (5 %).
// The ledger's invariants hold (every journal sums to zero, balances are the sums of their postings, none negative);
// the deposits and withdrawals have no journals, so the seeded rows are for reading only: do not run the
// reconciliation on them.
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { migrateAll } from '../prisma/domains.mjs';

/** The id of seeded row `name` (e.g. `u0`, the heavy user), as pg_temp.seed_id computes it in the seed. */
export function seedId(name) {
  const hex = createHash('md5').update(name).digest('hex');
  const v4 = `${hex.slice(0, 12)}4${hex.slice(13, 16)}8${hex.slice(17)}`;
  return `${v4.slice(0, 8)}-${v4.slice(8, 12)}-${v4.slice(12, 16)}-${v4.slice(16, 20)}-${v4.slice(20)}`;
}

/** The e-mail address of seeded user `u`. */
export const seedEmail = (u) => `${createHash('md5').update(`e${u}`).digest('hex').slice(0, 12)}@example.com`;

/** The seed, as statements run in order on a migrated bitro database. */
export function seedStatements(journals) {
  const n = Math.max(1000, Math.trunc(journals));
  const tenth = Math.trunc(n / 10);
  const users = tenth;
  const flagged = Math.trunc(n / 1000);
  // Journal i belongs to the heavy user (u0) when i % 20 = 0, else to one of the others (u2..), never to the admin.
  const owner = (i) => `CASE WHEN ${i} % 20 = 0 THEN 0 ELSE 2 + (${i} % ${users - 2}) END`;
  // Row i of `count` rows, spread over the last 365 days, oldest first.
  const at = (i, count) => `now() - ((${count} - ${i})::float8 / ${count}) * interval '365 days'`;
  return [
    `SET synchronous_commit = off`,
    // A version-4 shaped UUID from a row's name: the API's contracts accept only RFC 9562 ids.
    `CREATE FUNCTION pg_temp.seed_id(name text) RETURNS uuid IMMUTABLE LANGUAGE sql AS
     $$ SELECT overlay(overlay(md5(name) PLACING '4' FROM 13) PLACING '8' FROM 17)::uuid $$`,
    `INSERT INTO "user".users (id, email, password_hash, display_name, role, status, frozen_at, frozen_reason, email_verified_at,
       totp_secret, totp_enabled_at, created_at, updated_at)
     SELECT pg_temp.seed_id('u' || u), substr(md5('e' || u), 1, 12) || '@example.com', 'seeded: no login', 'User ' || u,
       (CASE WHEN u = 1 THEN 'admin' ELSE 'user' END)::"user"."Role",
       (CASE WHEN u % 100 = 50 THEN 'frozen' ELSE 'active' END)::"user"."UserStatus",
       CASE WHEN u % 100 = 50 THEN now() END, CASE WHEN u % 100 = 50 THEN 'seeded' END, now(),
       CASE WHEN u = 1 THEN 'JBSWY3DPEHPK3PXP' END, CASE WHEN u = 1 THEN now() END, ${at('u', users)}, now()
     FROM generate_series(0, ${users - 1}) AS u`,
    `INSERT INTO wallet.accounts (id, code, kind, user_id, created_at, updated_at)
     SELECT pg_temp.seed_id(k || u), 'user:' || pg_temp.seed_id('u' || u) || CASE k WHEN 'a' THEN ':available' ELSE ':held' END,
       (CASE k WHEN 'a' THEN 'user_available' ELSE 'user_held' END)::wallet."AccountKind", pg_temp.seed_id('u' || u), now(), now()
     FROM generate_series(0, ${users - 1}) AS u, (VALUES ('a'), ('h')) AS kinds(k)`,
    `INSERT INTO wallet.journals (id, reference, kind, user_id, amount_sats, description, created_at)
     SELECT pg_temp.seed_id('j' || i), 'redemption:' || pg_temp.seed_id('r' || i), 'credit', pg_temp.seed_id('u' || ${owner('i')}),
       10000 + i % 90000, 'Gift card redeemed', ${at('i', n)}
     FROM generate_series(1, ${n}) AS i`,
    `INSERT INTO wallet.postings (journal_id, account_id, amount_sats)
     SELECT pg_temp.seed_id('j' || i), CASE side WHEN 1 THEN pg_temp.seed_id('a' || ${owner('i')}) ELSE liability.id END,
       CASE side WHEN 1 THEN 10000 + i % 90000 ELSE -(10000 + i % 90000) END
     FROM generate_series(1, ${n}) AS i, (VALUES (1), (2)) AS sides(side),
       (SELECT id FROM wallet.accounts WHERE code = 'house:giftcard_liability') AS liability`,
    `UPDATE wallet.accounts AS a SET balance = s.total FROM (SELECT account_id, sum(amount_sats) AS total FROM wallet.postings GROUP BY account_id) AS s
     WHERE a.id = s.account_id`,
    `INSERT INTO giftcard.redemptions (id, user_id, brand, state, pin_hash, face_value_krw, fee_krw, price_krw_per_btc, amount_sats,
       limit_day, attempts, wallet_journal_id, created_at, updated_at)
     SELECT pg_temp.seed_id('r' || i), pg_temp.seed_id('u' || ${owner('i')}), 'cultureland', 'credited', md5('p' || i), 10000, 800, 140000000,
       10000 + i % 90000, (${at('i', n)})::date, 1, pg_temp.seed_id('j' || i), ${at('i', n)} - interval '1 second', ${at('i', n)}
     FROM generate_series(1, ${n}) AS i`,
    `INSERT INTO giftcard.redemptions (id, user_id, brand, state, pin_hash, face_value_krw, fee_krw, price_krw_per_btc, amount_sats,
       limit_day, attempts, created_at, updated_at)
     SELECT pg_temp.seed_id('f' || i), pg_temp.seed_id('u' || (2 + i % ${users - 2})), 'happymoney', 'flagged', md5('q' || i), 50000, 4500, 140000000,
       32500, (${at('i', flagged)})::date, 1, ${at('i', flagged)}, ${at('i', flagged)}
     FROM generate_series(1, ${flagged}) AS i`,
    `INSERT INTO notification.notifications (id, user_id, type, dedupe_key, event_id, locale, title, body, data, read_at, created_at)
     SELECT pg_temp.seed_id('n' || i), pg_temp.seed_id('u' || ${owner('i')}), 'redemption.credited', 'redemption.credited:' || pg_temp.seed_id('r' || i),
       pg_temp.seed_id('v' || i), 'ko', '상품권 충전 완료', '충전되었습니다.', '{}'::jsonb,
       CASE WHEN i % 10 <> 0 THEN ${at('i', n)} END, ${at('i', n)}
     FROM generate_series(1, ${n}) AS i`,
    `INSERT INTO wallet.deposits (id, user_id, txid, vout, address, amount_sats, status, confirmations, detected_at, confirmed_at,
       credits, last_event_at, updated_at)
     SELECT pg_temp.seed_id('d' || i), pg_temp.seed_id('u' || ${owner('i')}), md5('t' || i) || md5('t' || i), 0, 'bcrt1qseeded' || i, 50000,
       'confirmed', 6, ${at('i', tenth)}, ${at('i', tenth)}, 1, ${at('i', tenth)}, ${at('i', tenth)}
     FROM generate_series(1, ${n / 10}) AS i`,
    `INSERT INTO wallet.withdrawals (id, user_id, address, amount_sats, max_fee_sats, fee_sats, status, txid, idempotency_key, request_hash,
       created_at, updated_at)
     SELECT pg_temp.seed_id('w' || i), pg_temp.seed_id('u' || ${owner('i')}), 'bcrt1qpayee' || i, 20000, 2000,
       CASE WHEN i % 100 <> 0 THEN 1000 END,
       (CASE WHEN i % 100 = 0 THEN 'awaiting_approval' ELSE 'confirmed' END)::wallet."WithdrawalStatus",
       CASE WHEN i % 100 <> 0 THEN md5('x' || i) || md5('x' || i) END, 'k' || i, md5('h' || i), ${at('i', tenth)}, ${at('i', tenth)}
     FROM generate_series(1, ${n / 10}) AS i`,
  ];
}

const TABLES = ['"user".users', 'wallet.accounts', 'wallet.journals', 'wallet.postings', 'wallet.deposits', 'wallet.withdrawals', 'giftcard.redemptions', 'notification.notifications'];

/** Seeds and ANALYZEs a migrated, empty bitro database; `log` gets one line per statement. */
export async function seedScale(databaseUrl, { journals, log = () => undefined }) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const statement of seedStatements(journals)) {
      const started = Date.now();
      const { rowCount } = await client.query(statement);
      log(`${statement.split('\n')[0].slice(0, 70)} … ${rowCount ?? 0} rows, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    for (const table of TABLES) await client.query(`VACUUM ANALYZE ${table}`);
  } finally {
    await client.end();
  }
}

export function databaseUrlOf(serverUrl, database) {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function main() {
  const { values } = parseArgs({
    options: { journals: { type: 'string', default: '1000000' }, database: { type: 'string' }, replace: { type: 'boolean', default: false } },
  });
  const journals = Number(values.journals);
  const database = values.database ?? `bitro_scale_${journals}`;
  if (!/^[a-z0-9_]+$/.test(database)) throw new Error(`--database: use [a-z0-9_] only, not ${database}`);
  const server = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const admin = new pg.Client({ connectionString: databaseUrlOf(server, 'postgres') });
  await admin.connect();
  try {
    if (values.replace) await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }
  const url = databaseUrlOf(server, database);
  const started = Date.now();
  await migrateAll({ databaseUrl: url, database: 'bitro', log: () => undefined });
  console.log(`migrated ${database} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  await seedScale(url, { journals, log: (line) => console.log(line) });
  console.log(`${database}: ${journals} journals seeded in ${((Date.now() - started) / 1000).toFixed(0)} s (drop it with DROP DATABASE "${database}")`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
