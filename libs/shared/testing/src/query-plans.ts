import { encodeCursor } from '@bitro/db';
import type { Pool } from 'pg';
import { expect } from 'vitest';

/** A statement as the pool sent it: Prisma's SQL and its parameters. */
export interface RecordedQuery {
  text: string;
  values: unknown[];
}

/** What PostgreSQL's plan of a statement reads: each scan node as `<node type> <index or table>`. */
export interface QueryPlan {
  text: string;
  scans: string[];
  /** The indexes it reads. */
  indexes: string[];
  /** The conditions it reads them with (`Index Cond`), e.g. where a keyset page starts. */
  indexConditions: string[];
  /** The tables it reads sequentially. */
  seqScans: string[];
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

function* nodesOf(node: PlanNode): Generator<PlanNode> {
  yield node;
  for (const child of node.Plans ?? []) yield* nodesOf(child);
}

/**
 * The SELECTs `work` sends through `pool` outside transactions (a Prisma client on the pool queries through
 * `pool.query`), e.g. a list route's, to EXPLAIN them with {@link planOf}.
 */
export async function recordSelects(pool: Pool, work: () => Promise<unknown>): Promise<RecordedQuery[]> {
  const recorded: RecordedQuery[] = [];
  const query = pool.query;
  pool.query = function (this: Pool, ...args: unknown[]) {
    const [config, values] = args as [string | { text?: string; values?: unknown[] }, unknown[] | undefined];
    const text = typeof config === 'string' ? config : config.text;
    if (text !== undefined && /^\s*SELECT\b/i.test(text)) recorded.push({ text, values: (typeof config === 'string' ? values : config.values) ?? [] });
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as Pool['query'];
  try {
    await work();
  } finally {
    pool.query = query;
  }
  return recorded;
}

/** The plan PostgreSQL chooses for `statement` (EXPLAIN, not run): call after ANALYZE of the seeded tables. */
export async function planOf(pool: Pool, statement: RecordedQuery): Promise<QueryPlan> {
  const { rows } = await pool.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(`EXPLAIN (FORMAT JSON) ${statement.text}`, statement.values);
  const plan = rows[0]?.['QUERY PLAN'][0]?.Plan;
  if (!plan) throw new Error(`No plan for ${statement.text}`);
  const nodes = [...nodesOf(plan)];
  return {
    text: statement.text,
    scans: nodes.filter((node) => node['Index Name'] ?? node['Relation Name']).map((node) => `${node['Node Type']} ${node['Index Name'] ?? node['Relation Name']}`),
    indexes: nodes.flatMap((node) => (node['Index Name'] ? [node['Index Name']] : [])),
    indexConditions: nodes.flatMap((node) => (node['Index Cond'] ? [node['Index Cond']] : [])),
    seqScans: nodes.flatMap((node) => (node['Node Type'] === 'Seq Scan' ? [node['Relation Name'] ?? '?'] : [])),
  };
}

/** The plans of the SELECTs `work` sends through `pool` that read `table` (schema-qualified as Prisma writes it, e.g. `"wallet"."journals"`). */
export async function plansOn(pool: Pool, table: string, work: () => Promise<unknown>): Promise<QueryPlan[]> {
  const selects = (await recordSelects(pool, work)).filter((statement) => statement.text.includes(`FROM ${table}`));
  return Promise.all(selects.map((statement) => planOf(pool, statement)));
}

/** Whether a keyset page's plan reads its index from the cursor on: `column` bounded in an index condition, not only filtered. */
export const readsFromCursor = (plan: QueryPlan, column = 'created_at'): boolean => plan.indexConditions.some((condition) => condition.includes(`${column} <=`));

/** The cursor a page would return for the first row `sql` selects (its `created_at` and `id`), e.g. 2,000 rows deep. */
export async function cursorOf(pool: Pool, sql: string, params: unknown[] = []): Promise<string> {
  const { rows } = await pool.query<{ created_at: Date; id: string }>(sql, params);
  const row = rows[0];
  if (!row) throw new Error(`No row for ${sql}`);
  return encodeCursor({ createdAt: row.created_at, id: row.id });
}

/** `plans` is one statement that reads `index` and no table sequentially; with `fromCursor`, a deep page from its cursor on. */
export function expectIndexed([plan, ...more]: QueryPlan[], index: string, { fromCursor = false } = {}): void {
  expect(more).toEqual([]);
  expect(plan?.seqScans).toEqual([]);
  expect(plan?.indexes).toContain(index);
  if (fromCursor) expect(plan && readsFromCursor(plan)).toBe(true);
}
