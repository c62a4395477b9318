import { z } from 'zod';

/** A position in a user's history, newest first: the last item a page returned. */
export interface HistoryPosition {
  createdAt: Date;
  id: string;
}

const positionSchema = z.tuple([z.iso.datetime(), z.uuid()]);

/** Opaque to clients: base64url of `[createdAt, id]`. */
export function encodeCursor(position: HistoryPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt.toISOString(), position.id])).toString('base64url');
}

/** The position a cursor names, or null when it is not a cursor this wallet issued. */
export function decodeCursor(cursor: string): HistoryPosition | null {
  try {
    const parsed = positionSchema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? { createdAt: new Date(parsed.data[0]), id: parsed.data[1].toLowerCase() } : null;
  } catch {
    return null;
  }
}
