import { randomUUID } from 'node:crypto';
import { cursorOf, expectIndexed, plansOn, type QueryPlan } from '@bitro/testing';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { RedemptionHistory } from '../src/features/redemptions/redemption-history';
import { RedemptionReview } from '../src/features/review/redemption-review';
import { type GiftcardModuleTest, startGiftcardModule } from './giftcard-module-test';

// The redemption lists' SQL, as the gift-card domain sends it, on 50,000 redemptions: read through their indexes, a
// deep page from its cursor on (tools/bench/seed-scale-plans.mjs checks the same at a million). Plans only: no timings.
const REDEMPTIONS = 50_000;
let giftcard: GiftcardModuleTest;
const heavyUser = randomUUID();

const plansOf = (work: () => Promise<unknown>): Promise<QueryPlan[]> => plansOn(giftcard.mod.pool, '"giftcard"."redemptions"', work);

/** The cursor of the row `offset` rows into the list `where` selects, newest first. */
const cursorAt = (where: string, params: unknown[], offset: number) =>
  cursorOf(giftcard.mod.pool, `SELECT created_at, id FROM giftcard.redemptions WHERE ${where} ORDER BY created_at DESC, id DESC OFFSET ${offset} LIMIT 1`, params);

beforeAll(async () => {
  giftcard = await startGiftcardModule();
  // Every 20th redemption is the heavy user's, the rest spread over 1,000 others; 1 % flagged, the rest credited.
  await giftcard.mod.pool.query(
    `INSERT INTO giftcard.redemptions (id, user_id, brand, state, pin_hash, face_value_krw, created_at, updated_at)
     SELECT gen_random_uuid(), CASE WHEN i % 20 = 0 THEN $1::uuid ELSE others.ids[1 + i % 1000] END, 'cultureland',
       (CASE WHEN i % 100 = 1 THEN 'flagged' ELSE 'credited' END)::giftcard."RedemptionState", md5('p' || i), 10000,
       now() - (i || ' minutes')::interval, now() - (i || ' minutes')::interval
     FROM generate_series(1, ${REDEMPTIONS}) AS i, (SELECT array_agg(gen_random_uuid()) AS ids FROM generate_series(1, 1000)) AS others`,
    [heavyUser],
  );
  await giftcard.mod.pool.query('ANALYZE giftcard.redemptions');
}, 60_000);

afterAll(async () => {
  await giftcard?.close();
});

describe('redemption list plans on 50,000 redemptions', () => {
  it("GET /v1/giftcards/redemptions: a user's first page and a deep page walk (user_id, created_at, id)", async () => {
    const history = giftcard.mod.get(RedemptionHistory);
    expectIndexed(await plansOf(() => history.list(heavyUser, { limit: 20 })), 'redemptions_user_id_created_at_id_idx');
    const cursor = await cursorAt('user_id = $1', [heavyUser], 2_000);
    expectIndexed(await plansOf(() => history.list(heavyUser, { limit: 20, cursor })), 'redemptions_user_id_created_at_id_idx', { fromCursor: true });
  });

  it('GET /v1/admin/redemptions/flagged walks (state, created_at, id), first and deep page', async () => {
    const review = giftcard.mod.get(RedemptionReview);
    expectIndexed(await plansOf(() => review.listFlagged({})), 'redemptions_state_created_at_id_idx');
    const cursor = await cursorAt("state = 'flagged'", [], 400);
    expectIndexed(await plansOf(() => review.listFlagged({ cursor })), 'redemptions_state_created_at_id_idx', { fromCursor: true });
  });
});
