import { z } from 'zod';
import { instantSchema } from './pg-timestamp';

/** A position in a list ordered newest first by (a timestamp, id): the last item a page returned. */
export interface KeysetPosition {
  createdAt: Date;
  id: string;
}

const positionSchema = z.tuple([instantSchema, z.uuid()]);

/** Opaque to clients: base64url of `[createdAt, id]`. */
export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt.toISOString(), position.id])).toString('base64url');
}

/** The position a cursor names, or null when it is not a cursor {@link encodeCursor} made (its instant one PostgreSQL stores). */
export function decodeCursor(cursor: string): KeysetPosition | null {
  try {
    const parsed = positionSchema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? { createdAt: parsed.data[0], id: parsed.data[1].toLowerCase() } : null;
  } catch {
    return null;
  }
}

/** A `cursor` query parameter: optional, and when given one a previous page returned. */
export const cursorQuerySchema = z
  .string()
  .max(200)
  .refine((cursor) => decodeCursor(cursor) !== null, 'is not a cursor from a previous page')
  .optional()
  .describe('`nextCursor` of the previous page.');

/** `limit` (1-100, default 20) and `cursor` of a list query, newest first. */
export const pageQueryShape = {
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: cursorQuerySchema,
};

/** A page of rows fetched newest first with `take: limit + 1`: the first `limit`, and the cursor of the rest. */
export function pageOf<T>(rows: T[], limit: number, positionOf: (row: T) => KeysetPosition): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(positionOf(last)) : null };
}

type OlderThan<K extends string> = { [F in K]: { lt: Date } | Date } & { id?: { lt: string } };
type AtOrBefore<K extends string> = { [F in K]: { lte: Date } };

/**
 * The Prisma `where` of the rows after `position` in the newest-first order of (`field`, id); nothing without one.
 * The `field <= position` bound is implied by the OR, but only a range on a column lets PostgreSQL walk the
 * (…, field DESC, id DESC) index from the position on; on the OR alone it reads every older row (a BitmapOr) and sorts
 * them, so a deep page would cost as much as the rows before it.
 */
export function olderThan<K extends string>(field: K, position: KeysetPosition | null): { AND?: [AtOrBefore<K>, { OR: Array<OlderThan<K>> }] } {
  if (!position) return {};
  return {
    AND: [
      { [field]: { lte: position.createdAt } } as AtOrBefore<K>,
      { OR: [{ [field]: { lt: position.createdAt } } as OlderThan<K>, { [field]: position.createdAt, id: { lt: position.id } } as OlderThan<K>] },
    ],
  };
}
