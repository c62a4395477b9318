import DataLoader from 'dataloader';

/** The most keys one statement reads. */
const MAX_KEYS = 500;

/**
 * Reads by key, where the reads asked for in one turn of the event loop go to the database as one statement: `read`
 * answers the found values by key for many keys (`WHERE id = ANY($1)`); each caller gets its own key's value, or
 * undefined. Nothing is cached: every read asks the database, after its caller asked (a request that follows a
 * committed write sees it), so only the round trips are shared. Under load many requests wait on the same lookup at
 * once (`GET /v1/me`, a balance); a round trip costs the process more CPU than the lookup itself (ADR 0044). When the
 * statement fails, every read of its batch fails with its error. Keys must be valid for the statement: one that could
 * make it fail (a malformed uuid) would fail the whole batch, so callers check keys first.
 */
export function batchedReads<K, V>(read: (keys: readonly K[]) => Promise<ReadonlyMap<K, V>>): (key: K) => Promise<V | undefined> {
  const loader = new DataLoader<K, V | undefined>(
    async (keys) => {
      const found = await read(keys);
      return keys.map((key) => found.get(key));
    },
    { cache: false, maxBatchSize: MAX_KEYS, batchScheduleFn: (dispatch) => setImmediate(dispatch) },
  );
  return (key) => loader.load(key);
}
