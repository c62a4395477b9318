import { ProblemException } from '@bitro/http';
import { createTestDatabase, type TestDatabase } from '@bitro/testing';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AnsweredInTransaction, type IdempotencyScope, type IdempotentResult, requestFingerprint, runIdempotently, sendAnswer, type StoredAnswer } from '../src';
import { CREATE_KEYS_TABLE, PgIdempotencyStore } from './pg-idempotency-store';

let database: TestDatabase;
let pool: Pool;
let store: PgIdempotencyStore;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = new Pool({ connectionString: database.url, max: 12 });
  await pool.query(CREATE_KEYS_TABLE);
  store = new PgIdempotencyStore(pool);
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

const LEASE_MS = 60_000;
const scopeOf = (key: string = randomUUID()): IdempotencyScope => ({ owner: randomUUID(), key });
const fingerprintOf = (body: unknown) => requestFingerprint({ method: 'POST', path: '/v1/things', body });

/** A request handler that counts its runs and answers what `answer` says. */
function handler(answer: () => Promise<StoredAnswer>) {
  const counted = {
    runs: 0,
    run: async () => {
      counted.runs++;
      return answer();
    },
  };
  return counted;
}

const run = (scope: IdempotencyScope, body: unknown, work: { run(): Promise<StoredAnswer | AnsweredInTransaction>; recover?(id: string): Promise<StoredAnswer> }) =>
  runIdempotently(store, { scope, fingerprint: fingerprintOf(body) }, { leaseMs: LEASE_MS, ...work });

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );

const rowOf = async (scope: IdempotencyScope) =>
  (await pool.query('SELECT response_status, response_body FROM idempotency_test.keys WHERE owner = $1 AND key = $2', [scope.owner, scope.key])).rows[0];

describe('runIdempotently', () => {
  it('runs the first request and stores its answer; a retry of the same request gets it again without running', async () => {
    const scope = scopeOf();
    const work = handler(async () => ({ status: 202, body: { id: 'thing-1', n: 1n.toString() } }));
    expect(await run(scope, { a: 1, b: 'x' }, work)).toEqual({ answer: { status: 202, body: { id: 'thing-1', n: '1' } }, replayed: false });
    // The same body written in another order is the same request.
    expect(await run(scope, { b: 'x', a: 1 }, work)).toEqual({ answer: { status: 202, body: { id: 'thing-1', n: '1' } }, replayed: true });
    expect(work.runs).toBe(1);
    expect(await rowOf(scope)).toEqual({ response_status: 202, response_body: { status: 202, body: { id: 'thing-1', n: '1' } } });
  });

  it('refuses another request under the key with 422 naming the header, and runs nothing', async () => {
    const scope = scopeOf();
    const work = handler(async () => ({ status: 201, body: {} }));
    await run(scope, { amount: '1' }, work);
    const error = await failure(run(scope, { amount: '2' }, work));
    expect(error).toBeInstanceOf(ProblemException);
    expect(error).toMatchObject({ status: 422, code: 'idempotency-key-reused', extra: { errors: [{ in: 'header', pointer: '/Idempotency-Key', message: expect.any(String) }] } });
    expect(work.runs).toBe(1);
    // Keys are per owner: another owner's key of the same name is another request.
    expect((await run(scopeOf(scope.key), { amount: '2' }, work)).replayed).toBe(false);
  });

  it("accepts a fingerprint of the domain's former scheme as the same request", async () => {
    const scope = scopeOf();
    await store.claim(scope, 'former-fingerprint');
    await store.complete(scope, { status: 202, body: { id: 'old' } });
    const work = handler(async () => ({ status: 202, body: { id: 'new' } }));
    const result = await runIdempotently(store, { scope, fingerprint: fingerprintOf({}), formerFingerprints: ['former-fingerprint'] }, { leaseMs: LEASE_MS, ...work });
    expect(result).toEqual({ answer: { status: 202, body: { id: 'old' } }, replayed: true });
    await expect(run(scope, {}, work)).rejects.toMatchObject({ status: 422 });
    expect(work.runs).toBe(0);
  });

  it('stores a 4xx problem (not 409 or 429) and gives it again, headers and field errors included', async () => {
    const scope = scopeOf();
    const refusal = new ProblemException(403, 'account-not-active', 'Frozen.', { errors: [{ in: 'body', pointer: '/x', message: 'no' }], headers: { 'x-why': 'frozen' } });
    let refuse = true;
    const work = handler(async () => {
      if (refuse) throw refusal;
      return { status: 202, body: {} };
    });
    const first = await run(scope, {}, work);
    refuse = false;
    const again = await run(scope, {}, work);
    const stored = { status: 403, problem: { code: 'account-not-active', detail: 'Frozen.', errors: [{ in: 'body', pointer: '/x', message: 'no' }], headers: { 'x-why': 'frozen' } } };
    expect(first).toEqual({ answer: stored, replayed: false });
    expect(again).toEqual({ answer: stored, replayed: true });
    expect(work.runs).toBe(1);
  });

  it.each([409, 429])('stores no %i: the problem is thrown and a retry runs the request again', async (status) => {
    const scope = scopeOf();
    let refuse = true;
    const work = handler(async () => {
      if (refuse) throw new ProblemException(status, 'not-now', 'Not now.', { headers: { 'retry-after': '5' } });
      return { status: 202, body: { done: true } };
    });
    await expect(run(scope, {}, work)).rejects.toMatchObject({ status, code: 'not-now' });
    expect(await rowOf(scope)).toBeUndefined();
    refuse = false;
    expect(await run(scope, {}, work)).toEqual({ answer: { status: 202, body: { done: true } }, replayed: false });
    expect(work.runs).toBe(2);
  });

  it('stores no 409 or 429 that the request answers rather than throws', async () => {
    const scope = scopeOf();
    const work = handler(async () => ({ status: 429, body: { later: true } }));
    expect(await run(scope, {}, work)).toEqual({ answer: { status: 429, body: { later: true } }, replayed: false });
    expect(await rowOf(scope)).toBeUndefined();
  });

  it('stores no 5xx nor an unexpected error, and frees the key: a retry runs the request again', async () => {
    const scope = scopeOf();
    const failures = [new ProblemException(503, 'database-unavailable', 'Try again.'), new Error('connection reset')];
    const work = handler(async () => {
      const next = failures.shift();
      if (next) throw next;
      return { status: 202, body: {} };
    });
    await expect(run(scope, {}, work)).rejects.toMatchObject({ status: 503 });
    await expect(run(scope, {}, work)).rejects.toThrow('connection reset');
    expect(await rowOf(scope)).toBeUndefined();
    expect((await run(scope, {}, work)).answer.status).toBe(202);
    expect(work.runs).toBe(3);
  });

  it('answers 409 idempotency-key-in-use with Retry-After while the first request runs, and runs the request once', async () => {
    const scope = scopeOf();
    let finish: () => void = () => undefined;
    const work = handler(() => new Promise<StoredAnswer>((resolve) => (finish = () => resolve({ status: 202, body: { id: 'once' } }))));
    const first = run(scope, {}, work);
    await expect.poll(() => work.runs).toBe(1);
    const during = await failure(run(scope, {}, work));
    expect(during).toMatchObject({ status: 409, code: 'idempotency-key-in-use', extra: { headers: { 'retry-after': '1' } } });
    // Another body is still another request, running or not.
    await expect(run(scope, { other: true }, work)).rejects.toMatchObject({ status: 422 });
    finish();
    expect((await first).replayed).toBe(false);
    expect((await run(scope, {}, work)).replayed).toBe(true);
    expect(work.runs).toBe(1);
  });

  it('runs concurrent requests under one key once; the others are told it is in use or get its answer', async () => {
    const scope = scopeOf();
    const work = handler(async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { status: 202, body: { id: 'raced' } };
    });
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => run(scope, { same: 'body' }, work)));
    expect(work.runs).toBe(1);
    const answered = results.filter((result): result is PromiseFulfilledResult<IdempotentResult> => result.status === 'fulfilled').map((result) => result.value);
    expect(answered.filter((result) => !result.replayed)).toHaveLength(1);
    for (const result of answered) expect(result.answer).toEqual({ status: 202, body: { id: 'raced' } });
    for (const result of results) if (result.status === 'rejected') expect(result.reason).toMatchObject({ status: 409, code: 'idempotency-key-in-use' });
  });

  it('takes over a claim left unanswered past the lease: runs the request again, or answers from what it had created', async () => {
    const fresh = scopeOf();
    await store.claim(fresh, fingerprintOf({}));
    const work = handler(async () => ({ status: 202, body: { id: 'rerun' } }));
    await expect(run(fresh, {}, work)).rejects.toMatchObject({ status: 409, code: 'idempotency-key-in-use' });
    await store.age(fresh, LEASE_MS + 1_000);
    expect(await run(fresh, {}, work)).toEqual({ answer: { status: 202, body: { id: 'rerun' } }, replayed: false });
    expect(work.runs).toBe(1);

    const created = scopeOf();
    await store.claim(created, fingerprintOf({}));
    await store.attach(created, 'resource-7');
    await store.age(created, LEASE_MS + 1_000);
    const recovered: string[] = [];
    const result = await run(created, {}, { ...work, recover: async (id) => (recovered.push(id), { status: 202, body: { id, recovered: true } }) });
    expect(result).toEqual({ answer: { status: 202, body: { id: 'resource-7', recovered: true } }, replayed: false });
    expect(recovered).toEqual(['resource-7']);
    expect(work.runs).toBe(1);
    // ...and that answer is now the stored one.
    expect((await run(created, {}, work)).replayed).toBe(true);
  });

  it('keeps a key under which something was created when its request then fails: the retry is answered from it after the lease', async () => {
    const scope = scopeOf();
    const work = handler(async () => {
      await store.attach(scope, 'resource-9');
      throw new Error('crashed after creating');
    });
    await expect(run(scope, {}, work)).rejects.toThrow('crashed after creating');
    await expect(run(scope, {}, work)).rejects.toMatchObject({ status: 409, code: 'idempotency-key-in-use' });
    await store.age(scope, LEASE_MS + 1_000);
    const result = await run(scope, {}, { ...work, recover: async (id) => ({ status: 202, body: { id } }) });
    expect(result).toEqual({ answer: { status: 202, body: { id: 'resource-9' } }, replayed: false });
    expect(work.runs).toBe(1);
  });
});

describe('an answer stored in the transaction that made it', () => {
  /** The request's own transaction, storing its answer under `scope` (the store's `completeIn`); committed or not. */
  async function answerInTransaction(scope: IdempotencyScope, answer: StoredAnswer, commit: boolean): Promise<void> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await store.completeIn(client, scope, answer);
      await client.query(commit ? 'COMMIT' : 'ROLLBACK');
    } finally {
      client.release();
    }
  }

  it('is not written again, and a retry gets it; an answer whose transaction rolled back is stored as usual', async () => {
    const answer = { status: 202, body: { id: 'thing-7' } };
    const completes = vi.spyOn(store, 'complete');
    const scope = scopeOf();
    let runs = 0;
    const committed = {
      run: async () => {
        runs++;
        await answerInTransaction(scope, answer, true);
        return new AnsweredInTransaction(answer);
      },
    };
    expect(await run(scope, {}, committed)).toEqual({ answer, replayed: false });
    const written = completes.mock.calls.length;
    expect(await run(scope, {}, committed)).toEqual({ answer, replayed: true });
    expect([written, runs]).toEqual([0, 1]);

    const rolledBack = scopeOf();
    const result = await run(rolledBack, {}, {
      run: async () => {
        await answerInTransaction(rolledBack, answer, false);
        return answer;
      },
    });
    const completedAfterRollback = completes.mock.calls.length;
    completes.mockRestore();
    expect(result).toEqual({ answer, replayed: false });
    expect(completedAfterRollback).toBe(1);
    expect(await rowOf(rolledBack)).toMatchObject({ response_status: 202 });
  });
});

describe('sendAnswer', () => {
  const reply = () => {
    const sent: { status?: number; headers?: Record<string, string> } = {};
    return { sent, status: (status: number) => (sent.status = status), headers: (headers: Record<string, string>) => (sent.headers = headers) };
  };

  it('returns a success body with its status, marking a replay with Idempotent-Replayed', () => {
    const first = reply();
    expect(sendAnswer({ answer: { status: 202, body: { id: 1 } }, replayed: false }, first)).toEqual({ id: 1 });
    expect(first.sent).toEqual({ status: 202, headers: {} });
    const again = reply();
    expect(sendAnswer({ answer: { status: 202, body: { id: 1 } }, replayed: true }, again)).toEqual({ id: 1 });
    expect(again.sent).toEqual({ status: 202, headers: { 'idempotent-replayed': 'true' } });
  });

  it('throws a stored problem, with its own headers and Idempotent-Replayed on a replay', () => {
    const problem = { code: 'daily-limit-exceeded', detail: 'Over.', headers: { 'x-a': 'b' } };
    let thrown: unknown;
    try {
      sendAnswer({ answer: { status: 422, problem }, replayed: true }, reply());
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProblemException);
    expect(thrown).toMatchObject({ status: 422, code: 'daily-limit-exceeded', message: 'Over.', extra: { headers: { 'x-a': 'b', 'idempotent-replayed': 'true' } } });
  });
});
