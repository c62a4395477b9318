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

  it('pages rows fetched with one extra, and filters the rows after a position', () => {
    const rows = [position, { ...position, id: '7d0f3c4e-0000-4000-8000-000000000009' }];
    expect(pageOf(rows, 1, (row) => row)).toEqual({ items: [position], nextCursor: encodeCursor(position) });
    expect(pageOf(rows, 2, (row) => row).nextCursor).toBeNull();
    expect(olderThan('createdAt', null)).toEqual({});
    expect(olderThan('detectedAt', position)).toEqual({ OR: [{ detectedAt: { lt: position.createdAt } }, { detectedAt: position.createdAt, id: { lt: position.id } }] });
  });
});
