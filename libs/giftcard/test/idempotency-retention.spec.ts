import { randomUUID } from 'node:crypto';
import type { ModuleTest } from '@bitro/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdempotencyRetention } from '../src/features/redemptions/idempotency-retention';
import { startGiftcardModule } from './giftcard-module-test';

let mod: ModuleTest;

beforeAll(async () => {
  ({ mod } = await startGiftcardModule({ env: { IDEMPOTENCY_RETENTION_HOURS: '48' } }));
});
afterAll(() => mod?.close());

/** `count` Idempotency-Key rows of one new user, created `hoursAgo` hours ago; answers the user id. */
async function keys(count: number, hoursAgo: number): Promise<string> {
  const userId = randomUUID();
  await mod.pool.query(
    `INSERT INTO "giftcard"."idempotency_keys" (user_id, key, request_hash, response_status, response_body, claimed_at, completed_at, created_at)
     SELECT $1::uuid, 'key-' || n, 'hash', 202, '{"status":202}'::jsonb, t, t, t
     FROM generate_series(1, $2::int) AS n, (SELECT now() - make_interval(hours => $3::int)) AS at(t)`,
    [userId, count, hoursAgo],
  );
  return userId;
}

const keysOf = async (userId: string) =>
  (await mod.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM "giftcard"."idempotency_keys" WHERE user_id = $1', [userId])).rows[0]?.n;

describe('Idempotency-Key retention', () => {
  it('deletes the keys older than IDEMPOTENCY_RETENTION_HOURS, in batches, and keeps the younger ones', async () => {
    const expired = await keys(2_500, 49);
    const kept = await keys(3, 47);
    const fresh = await keys(2, 0);

    expect(await mod.get(IdempotencyRetention).run()).toBe(2_500);

    expect(await keysOf(expired)).toBe(0);
    expect(await keysOf(kept)).toBe(3);
    expect(await keysOf(fresh)).toBe(2);
    expect(await mod.get(IdempotencyRetention).run()).toBe(0);
  });
});
