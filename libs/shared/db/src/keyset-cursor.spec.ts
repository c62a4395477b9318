import { describe, expect, it } from 'vitest';
import { cursorQuerySchema, decodeCursor, encodeCursor, olderThan, pageOf } from './keyset-cursor';

const position = { createdAt: new Date('2026-11-25T01:02:03.456Z'), id: '7d0f3c4e-0000-4000-8000-00000000000a' };

describe('keyset cursor', () => {
  it('decodes what it encodes, and nothing else', () => {
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
    for (const bad of ['', 'not base64 json', Buffer.from('["yesterday","x"]').toString('base64url'), Buffer.from('{}').toString('base64url')]) {
      expect(decodeCursor(bad), bad).toBeNull();
      expect(cursorQuerySchema.safeParse(bad).success, bad).toBe(false);
    }
    expect(cursorQuerySchema.parse(encodeCursor(position))).toBe(encodeCursor(position));
    expect(cursorQuerySchema.parse(undefined)).toBeUndefined();
  });

  it('refuses a cursor naming an instant PostgreSQL cannot store', () => {
    const id = '7d0f3c4e-0000-4000-8000-00000000000a';
    for (const instant of ['0000-01-01T00:00:00.000Z', '0001-01-01T00:00:00+01:00', '9999-12-31T23:59:59-01:00']) {
      const cursor = Buffer.from(JSON.stringify([instant, id])).toString('base64url');
      expect(decodeCursor(cursor), instant).toBeNull();
      expect(cursorQuerySchema.safeParse(cursor).success, instant).toBe(false);
    }
    const earliest = Buffer.from(JSON.stringify(['0001-01-01T00:00:00.000Z', id])).toString('base64url');
    expect(decodeCursor(earliest)).toEqual({ createdAt: new Date('0001-01-01T00:00:00.000Z'), id });
  });

  it('pages rows fetched with one extra, and filters the rows after a position', () => {
    const rows = [position, { ...position, id: '7d0f3c4e-0000-4000-8000-000000000009' }];
    expect(pageOf(rows, 1, (row) => row)).toEqual({ items: [position], nextCursor: encodeCursor(position) });
    expect(pageOf(rows, 2, (row) => row).nextCursor).toBeNull();
    expect(olderThan('createdAt', null)).toEqual({});
    expect(olderThan('detectedAt', position)).toEqual({
      AND: [
        { detectedAt: { lte: position.createdAt } },
        { OR: [{ detectedAt: { lt: position.createdAt } }, { detectedAt: position.createdAt, id: { lt: position.id } }] },
      ],
    });
  });
});
