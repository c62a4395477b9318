import { cursorOf, expectIndexed, type ModuleTest, plansOn, type QueryPlan } from '@bitro/testing';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { UserDirectory } from '../src/features/users/user-directory';
import type { SearchUsersInput } from '../src/features/users/users.contracts';
import { startUserModule } from './user-module-test';

// The admin search's SQL, as the user domain sends it, on 50,000 users: PostgreSQL reads them through an index for
// every filter (tools/bench/seed-scale-plans.mjs checks the same at 100,000 users). Plans only: no timings.
const USERS = 50_000;
let mod: ModuleTest;

const plansOfSearch = (input: SearchUsersInput): Promise<QueryPlan[]> => plansOn(mod.pool, '"user"."users"', () => mod.get(UserDirectory).search(input));

beforeAll(async () => {
  mod = await startUserModule();
  // 1 % frozen, one admin; addresses of 12 hex digits, so that a part of one matches a few users.
  await mod.pool.query(
    `INSERT INTO "user".users (id, email, password_hash, display_name, role, status, created_at, updated_at)
     SELECT gen_random_uuid(), substr(md5('e' || u), 1, 12) || '@example.com', 'seeded', 'User ' || u,
       (CASE WHEN u = 1 THEN 'admin' ELSE 'user' END)::"user"."Role", (CASE WHEN u % 100 = 50 THEN 'frozen' ELSE 'active' END)::"user"."UserStatus",
       now() - (u || ' minutes')::interval, now()
     FROM generate_series(1, ${USERS}) AS u`,
  );
  await mod.pool.query('ANALYZE "user".users');
}, 60_000);

afterAll(async () => {
  await mod?.close();
});

describe('admin user search plans on 50,000 users', () => {
  it('a part of an e-mail address: the trigram index, not a scan of every address', async () => {
    const { rows } = await mod.pool.query<{ part: string }>(`SELECT substr(email, 3, 6) AS part FROM "user".users WHERE display_name = 'User 4321'`);
    expectIndexed(await plansOfSearch({ q: rows[0]?.part }), 'users_email_idx');
  });

  it('status and role filters walk their (…, created_at, id) indexes', async () => {
    expectIndexed(await plansOfSearch({ status: 'frozen' }), 'users_status_created_at_id_idx');
    expectIndexed(await plansOfSearch({ role: 'admin' }), 'users_role_created_at_id_idx');
  });

  it('no filter: newest first from (created_at, id), a deep page from its cursor on', async () => {
    expectIndexed(await plansOfSearch({}), 'users_created_at_id_idx');
    const cursor = await cursorOf(mod.pool, `SELECT created_at, id FROM "user".users ORDER BY created_at DESC, id DESC OFFSET 40000 LIMIT 1`);
    expectIndexed(await plansOfSearch({ cursor }), 'users_created_at_id_idx', { fromCursor: true });
  });
});
