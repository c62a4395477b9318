import { z } from 'zod';

/**
 * Whether a date can be bound as a PostgreSQL timestamp in the ISO form Prisma sends (UTC): years 0001 to 9999. ISO 8601
 * allows year 0000 (1 BC) and an offset can push a date past either end; PostgreSQL refuses those
 * ("date/time field value out of range").
 */
export const isStorableInstant = (date: Date): boolean => {
  const year = date.getUTCFullYear();
  return year >= 1 && year <= 9999;
};

/**
 * An input instant: an ISO 8601 date or date-time with an offset, from year 0001 to 9999, as a Date. Every query or
 * body field that becomes a timestamp in a query uses it, so no input reaches PostgreSQL as a date it refuses.
 */
export const instantSchema = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()])
  .transform((value, context) => {
    const date = new Date(value);
    if (isStorableInstant(date)) return date;
    context.addIssue({ code: 'custom', message: 'must be between years 0001 and 9999' });
    return z.NEVER;
  })
  .meta({ description: 'ISO 8601 date or date-time (years 0001-9999)' });
