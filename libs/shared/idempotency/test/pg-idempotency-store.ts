import type { Pool } from 'pg';
import type { IdempotencyRecord, IdempotencyScope, IdempotencyStore, StoredAnswer } from '../src';

/** The table the README describes, in a schema of the test database. */
export const CREATE_KEYS_TABLE = `
  CREATE SCHEMA idempotency_test;
  CREATE TABLE idempotency_test.keys (
    owner           text        NOT NULL,
    key             text        NOT NULL,
    fingerprint     text        NOT NULL,
    resource_id     text,
    response_status integer,
    response_body   jsonb,
    claimed_at      timestamptz(3) NOT NULL DEFAULT now(),
    completed_at    timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (owner, key)
  )`;

/** An IdempotencyStore as a domain writes one over its table, each method one statement. */
export class PgIdempotencyStore implements IdempotencyStore {
  constructor(private readonly pool: Pool) {}

  async claim({ owner, key }: IdempotencyScope, fingerprint: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('INSERT INTO idempotency_test.keys (owner, key, fingerprint) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [owner, key, fingerprint]);
    return rowCount === 1;
  }

  async find({ owner, key }: IdempotencyScope): Promise<IdempotencyRecord | null> {
    const { rows } = await this.pool.query<{ fingerprint: string; response_body: StoredAnswer | null; claimed_at: Date; resource_id: string | null }>(
      'SELECT fingerprint, response_body, claimed_at, resource_id FROM idempotency_test.keys WHERE owner = $1 AND key = $2',
      [owner, key],
    );
    const row = rows[0];
    return row ? { fingerprint: row.fingerprint, answer: row.response_body, claimedAt: row.claimed_at, resourceId: row.resource_id } : null;
  }

  async takeOver({ owner, key }: IdempotencyScope, claimedAt: Date): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      'UPDATE idempotency_test.keys SET claimed_at = now() WHERE owner = $1 AND key = $2 AND claimed_at = $3 AND response_status IS NULL',
      [owner, key, claimedAt],
    );
    return rowCount === 1;
  }

  async complete(scope: IdempotencyScope, answer: StoredAnswer): Promise<void> {
    await this.completeIn(this.pool, scope, answer);
  }

  /** `complete` on the caller's connection (in its transaction). */
  async completeIn(connection: Pick<Pool, 'query'>, { owner, key }: IdempotencyScope, answer: StoredAnswer): Promise<void> {
    await connection.query('UPDATE idempotency_test.keys SET response_status = $3, response_body = $4, completed_at = now() WHERE owner = $1 AND key = $2', [
      owner,
      key,
      answer.status,
      JSON.stringify(answer),
    ]);
  }

  async release({ owner, key }: IdempotencyScope): Promise<void> {
    await this.pool.query('DELETE FROM idempotency_test.keys WHERE owner = $1 AND key = $2 AND resource_id IS NULL AND response_status IS NULL', [owner, key]);
  }

  /** What a domain does in the transaction that creates its resource. */
  async attach({ owner, key }: IdempotencyScope, resourceId: string): Promise<void> {
    await this.pool.query('UPDATE idempotency_test.keys SET resource_id = $3 WHERE owner = $1 AND key = $2', [owner, key, resourceId]);
  }

  /** As if the request running under the key had claimed it `ms` ago. */
  async age({ owner, key }: IdempotencyScope, ms: number): Promise<void> {
    await this.pool.query(`UPDATE idempotency_test.keys SET claimed_at = now() - make_interval(secs => $3::double precision / 1000) WHERE owner = $1 AND key = $2`, [owner, key, ms]);
  }
}
