import { randomUUID } from 'node:crypto';
import { cursorOf, expectIndexed, type ModuleTest, plansOn, type QueryPlan } from '@bitro/testing';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { Inbox } from '../src/features/inbox/inbox';
import { startNotificationModule } from './notification-module-test';

// The inbox's SQL, as the notification domain sends it, on 50,000 notifications: the page and the unread count read
// through indexes, the count only the user's unread rows (tools/bench/seed-scale-plans.mjs checks the same at a
// million). Plans only: no timings.
const NOTIFICATIONS = 50_000;
let mod: ModuleTest;
const heavyUser = randomUUID();

const isCount = (plan: QueryPlan) => plan.text.startsWith('SELECT COUNT(');

/** The plans of Inbox#list: the page's and the unread count's. */
const plansOfList = async (query: Parameters<Inbox['list']>[1]) => {
  const plans = await plansOn(mod.pool, '"notification"."notifications"', () => mod.get(Inbox).list(heavyUser, query));
  return { page: plans.filter((plan) => !isCount(plan)), count: plans.filter(isCount) };
};

beforeAll(async () => {
  mod = await startNotificationModule();
  // Every 20th notification is the heavy user's, the rest spread over 1,000 others; 90 % read.
  await mod.pool.query(
    `INSERT INTO notification.notifications (id, user_id, type, dedupe_key, event_id, locale, title, body, data, read_at, created_at)
     SELECT gen_random_uuid(), CASE WHEN i % 20 = 0 THEN $1::uuid ELSE others.ids[1 + i % 1000] END, 'redemption.credited', 'seed:' || i,
       gen_random_uuid(), 'ko', 't', 'b', '{}'::jsonb, CASE WHEN i % 10 <> 0 THEN now() END, now() - (i || ' minutes')::interval
     FROM generate_series(1, ${NOTIFICATIONS}) AS i, (SELECT array_agg(gen_random_uuid()) AS ids FROM generate_series(1, 1000)) AS others`,
    [heavyUser],
  );
  await mod.pool.query('ANALYZE notification.notifications');
}, 60_000);

afterAll(async () => {
  await mod?.close();
});

describe('inbox plans on 50,000 notifications', () => {
  it('GET /v1/notifications: the page walks (user_id, created_at, id), the unread count reads the unread index', async () => {
    const { page, count } = await plansOfList({ limit: 20 });
    expectIndexed(page, 'notifications_user_id_created_at_id_idx');
    expectIndexed(count, 'notifications_unread_idx');
  });

  it('a deep page starts at its cursor; the unread list reads the unread index', async () => {
    const cursor = await cursorOf(
      mod.pool,
      `SELECT created_at, id FROM notification.notifications WHERE user_id = $1 ORDER BY created_at DESC, id DESC OFFSET 2000 LIMIT 1`,
      [heavyUser],
    );
    expectIndexed((await plansOfList({ limit: 20, cursor })).page, 'notifications_user_id_created_at_id_idx', { fromCursor: true });
    expectIndexed((await plansOfList({ limit: 20, unread: true })).page, 'notifications_unread_idx');
  });
});
