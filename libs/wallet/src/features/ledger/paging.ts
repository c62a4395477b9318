import { decodeCursor } from '@bitro/db';
import { z } from 'zod';
import { HISTORY_DEFAULT_LIMIT, HISTORY_MAX_LIMIT } from './ledger-history';

/** `limit` and `cursor` of a wallet list newest first (transactions, deposits, withdrawals); the cursor must be one a previous page returned. */
export const pageQueryShape = {
  limit: z.coerce.number().int().min(1).max(HISTORY_MAX_LIMIT).default(HISTORY_DEFAULT_LIMIT),
  cursor: z
    .string()
    .max(200)
    .refine((cursor) => decodeCursor(cursor) !== null, 'is not a cursor from a previous page')
    .optional(),
};

export const nextCursorSchema = z.string().nullable().meta({ description: 'Pass as `cursor` for the next (older) page; null on the last page.' });
