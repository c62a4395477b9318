import { describe, expect, it } from 'vitest';
import { deleteInBatches } from './batched-delete';

/** A table of `rows` rows whose DELETE takes at most `limit` of them. */
function table(rows: number) {
  const limits: number[] = [];
  return {
    limits,
    get rows() {
      return rows;
    },
    deleteBatch: async (limit: number) => {
      limits.push(limit);
      const deleted = Math.min(limit, rows);
      rows -= deleted;
      return deleted;
    },
  };
}

describe('deleteInBatches', () => {
  it('deletes batch after batch until one comes back short, and answers the total', async () => {
    const rows = table(25);
    expect(await deleteInBatches(rows.deleteBatch, { batchSize: 10 })).toBe(25);
    expect(rows.limits).toEqual([10, 10, 10]);
    expect(rows.rows).toBe(0);
  });

  it('stops after maxBatches, leaving the rest for the next call', async () => {
    const rows = table(100);
    expect(await deleteInBatches(rows.deleteBatch, { batchSize: 10, maxBatches: 3 })).toBe(30);
    expect(rows.rows).toBe(70);
  });

  it('stops after an empty batch', async () => {
    const rows = table(20);
    expect(await deleteInBatches(rows.deleteBatch, { batchSize: 10 })).toBe(20);
    expect(rows.limits).toEqual([10, 10, 10]);
  });
});
