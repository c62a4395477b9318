import type { Pool, PoolClient } from 'pg';

/** What a transaction can do: Prisma's interactive-transaction client (`tx` of `prisma.$transaction(async (tx) => ...)`) satisfies it. */
export interface SqlExecutor {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
}

/** A statement of fixed text that a connection parses and plans once, under its name (pg's named statements). */
export interface NamedStatement {
  readonly name: string;
  readonly text: string;
}

/** The connection under each executor of {@link pgTransaction}: named statements run on it. */
const connections = new WeakMap<SqlExecutor, PoolClient>();
/** What each executor of {@link pgTransaction} runs just before its COMMIT, in order. */
const commitHooks = new WeakMap<SqlExecutor, Array<() => Promise<unknown>>>();

/**
 * Has `hook` run in `tx` just before it commits, after all its other statements (not when it rolls back), and answers
 * true, when `tx` is a {@link pgTransaction}'s; answers false otherwise, and the caller does the work at once. Used
 * through {@link CommitBatch}.
 */
function beforeCommit(tx: SqlExecutor, hook: () => Promise<unknown>): boolean {
  const hooks = commitHooks.get(tx);
  hooks?.push(hook);
  return hooks !== undefined;
}

/**
 * What a transaction writes of one kind, written together by `write` in one statement just before a
 * {@link pgTransaction} commits (a consumer's batch of 16 handlings writes once, not 16 times); in any other transaction
 * (Prisma's), each item at once. Nothing is written when the transaction rolls back.
 */
export class CommitBatch<T> {
  private readonly pending = new WeakMap<SqlExecutor, T[]>();

  constructor(private readonly write: (tx: SqlExecutor, items: T[]) => Promise<unknown>) {}

  async add(tx: SqlExecutor, item: T): Promise<void> {
    const pending = this.pending.get(tx);
    if (pending) {
      pending.push(item);
      return;
    }
    const items = [item];
    if (beforeCommit(tx, () => this.write(tx, items))) this.pending.set(tx, items);
    else await this.write(tx, items);
  }
}

function executorOn(client: PoolClient): SqlExecutor {
  const executor: SqlExecutor = {
    $executeRawUnsafe: async (query, ...values) => (await client.query(query, values)).rowCount ?? 0,
    $queryRawUnsafe: async <T>(query: string, ...values: unknown[]) => (await client.query(query, values)).rows as T,
  };
  connections.set(executor, client);
  commitHooks.set(executor, []);
  return executor;
}

/**
 * Runs `statement` in `tx` and returns its rows: as a named statement on a {@link pgTransaction}'s connection, as plain
 * text in any other transaction (Prisma's). Values come back as the driver gives them (bigint columns as strings on
 * pg, as BigInt through Prisma): cast in the SQL, or convert both.
 */
export async function queryNamed<T>(tx: SqlExecutor, statement: NamedStatement, values: unknown[]): Promise<T[]> {
  const client = connections.get(tx);
  if (client) return (await client.query({ name: statement.name, text: statement.text, values })).rows as T[];
  return tx.$queryRawUnsafe<T[]>(statement.text, ...values);
}

/** {@link queryNamed} for a statement that returns no rows: how many it wrote. */
export async function executeNamed(tx: SqlExecutor, statement: NamedStatement, values: unknown[]): Promise<number> {
  const client = connections.get(tx);
  if (client) return (await client.query({ name: statement.name, text: statement.text, values })).rowCount ?? 0;
  return tx.$executeRawUnsafe(statement.text, ...values);
}

const XACT_LOCK: NamedStatement = { name: 'messaging.advisory-xact-lock', text: 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))' };

/**
 * Waits for the advisory lock named `key` and holds it until `tx` ends: transactions of one key take their decisions one
 * at a time. Read what the decision depends on in a later statement (its snapshot is taken after the lock was granted).
 */
export async function advisoryXactLock(tx: SqlExecutor, key: string): Promise<void> {
  await executeNamed(tx, XACT_LOCK, [key]);
}

/** Runs `work` in a transaction on one pooled connection: COMMIT when it resolves, ROLLBACK when it throws. */
export async function pgTransaction<T>(pool: Pool, work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const tx = executorOn(client);
    const result = await work(tx);
    const hooks = commitHooks.get(tx) ?? [];
    for (let hook = hooks.shift(); hook; hook = hooks.shift()) await hook();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    // A connection that cannot even roll back is discarded rather than returned to the pool.
    client.release(broken);
  }
}
