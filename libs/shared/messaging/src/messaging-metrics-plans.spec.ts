import { createPgPool } from '@bitro/db';
import { createTestDatabase, planOf, type QueryPlan, type RecordedQuery, type TestDatabase } from '@bitro/testing';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessagingMetrics } from './messaging-metrics';
import { Publications } from './publications';

// What the metrics read at every scrape, on a history of 50,000 completed deliveries, relayed events and resolved dead
// letters with a few still owed: PostgreSQL reads the partial and leading-column indexes, never the whole history.
// Plans only: no timings.
const HISTORY = 50_000;
let database: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = createPgPool(database.url, 2);
  await pool.query(
    `INSERT INTO "messaging".publications (event_id, consumer, event_name, created_at, delivered_at, completed_at)
     SELECT gen_random_uuid(), 'consumer-' || (u % 5), 'test.happened.v1', now() - (u || ' seconds')::interval, now(),
            CASE WHEN u % 5000 = 0 THEN NULL ELSE now() END
       FROM generate_series(1, ${HISTORY}) AS u`,
  );
  await pool.query(
    `INSERT INTO "messaging".outbox (id, name, payload, occurred_at, published_at)
     SELECT gen_random_uuid(), 'test.happened.v1', '{}', now() - (u || ' seconds')::interval, CASE WHEN u % 5000 = 0 THEN NULL ELSE now() END
       FROM generate_series(1, ${HISTORY}) AS u`,
  );
  await pool.query(
    `INSERT INTO "messaging".dead_letters (job_id, event_id, event_name, consumer, payload, occurred_at, error, attempts, resubmitted_at)
     SELECT 'job-' || u, gen_random_uuid(), 'test.happened.v1', 'consumer-' || (u % 5), '{}', now(), 'boom', 8,
            CASE WHEN u % 5000 = 0 THEN NULL ELSE now() END
       FROM generate_series(1, 20000) AS u`,
  );
  await pool.query('ANALYZE "messaging".publications, "messaging".outbox, "messaging".dead_letters');
}, 120_000);

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

/** The plans of every statement `work` sends through the pool. */
async function plansOf(work: () => Promise<unknown>): Promise<QueryPlan[]> {
  const recorded: RecordedQuery[] = [];
  const query = pool.query.bind(pool);
  pool.query = ((text: string, values?: unknown[]) => {
    recorded.push({ text, values: values ?? [] });
    return query(text, values);
  }) as Pool['query'];
  try {
    await work();
  } finally {
    pool.query = query;
  }
  return Promise.all(recorded.map((statement) => planOf(pool, statement)));
}

describe('the messaging metrics read indexes only', () => {
  it('publications owed and dead letters per consumer: the partial index of incomplete ones, the unresolved dead letters', async () => {
    const owed = await new Publications(pool).owed();
    expect(owed.reduce((sum, row) => sum + row.incomplete, 0)).toBe(HISTORY / 5000);
    expect(owed.reduce((sum, row) => sum + row.deadLetters, 0)).toBe(4);
    const [plan, ...more] = await plansOf(() => new Publications(pool).owed());
    expect(more).toEqual([]);
    expect(plan?.seqScans).toEqual([]);
    // Either index bounds the read to the incomplete rows (the partial one, or completed_at's from NULL).
    expect(plan?.indexes.filter((index) => ['publications_consumer_incomplete_idx', 'publications_completed_at_idx'].includes(index))).toHaveLength(1);
    expect(plan?.indexes).toContain('dead_letters_resubmitted_at_failed_at_idx');
  });

  it('the outbox backlog and unresolved dead letters', async () => {
    expect(await new MessagingMetrics(pool).snapshot()).toMatchObject({ outboxBacklog: HISTORY / 5000, deadLetters: 4 });
    const [plan, ...more] = await plansOf(() => new MessagingMetrics(pool).snapshot());
    expect(more).toEqual([]);
    expect(plan?.seqScans).toEqual([]);
    expect(plan?.indexes).toEqual(expect.arrayContaining(['outbox_published_at_occurred_at_id_idx', 'dead_letters_resubmitted_at_failed_at_idx']));
  });
});
