export interface BatchedDeleteOptions {
  /** Rows per statement (default 1,000): each batch is its own short transaction, so locks and WAL stay small. */
  batchSize?: number;
  /** Most batches in one call (default 100): a large backlog is worked off across calls instead of in one long one. */
  maxBatches?: number;
}

/**
 * Runs `deleteBatch(limit)` (a DELETE of at most `limit` rows, answering how many it deleted) until a batch deletes
 * fewer than `limit` or `maxBatches` ran; answers how many rows were deleted in all.
 */
export async function deleteInBatches(deleteBatch: (limit: number) => Promise<number>, options: BatchedDeleteOptions = {}): Promise<number> {
  const { batchSize = 1_000, maxBatches = 100 } = options;
  let deleted = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const count = await deleteBatch(batchSize);
    deleted += count;
    if (count < batchSize) break;
  }
  return deleted;
}
