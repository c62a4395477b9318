/** One page of a list route: its items and the cursor of the next page (absent or null on the last). */
export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}

/**
 * Every item of a keyset-paginated list, page after page: `page(cursor)` fetches one (the first with `undefined`).
 * `for await (const r of paginate((cursor) => unwrap(client.GET('/v1/giftcards/redemptions', { params: { query: { cursor } } })))) ...`
 */
export async function* paginate<T>(page: (cursor: string | undefined) => Promise<Page<T>>): AsyncGenerator<T> {
  let cursor: string | undefined;
  do {
    const { items, nextCursor } = await page(cursor);
    yield* items;
    cursor = nextCursor ?? undefined;
  } while (cursor);
}
