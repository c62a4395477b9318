import type { DriftList } from '@bitro/service-api';

/** Rows of a drift query: the id, why, and (on every row) how many rows matched before the LIMIT. */
export type DriftRow = { id: string; reason: string; total: bigint };

export const toDriftList = (rows: DriftRow[]): DriftList => ({ count: Number(rows[0]?.total ?? 0), items: rows.map(({ id, reason }) => ({ id, reason })) });
