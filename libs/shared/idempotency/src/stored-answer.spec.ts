import { describe, expect, it } from 'vitest';
import { isReplayable } from './stored-answer';

describe('isReplayable', () => {
  it('keeps successes and client errors, but not 409, 429 nor any 5xx', () => {
    for (const status of [200, 201, 202, 204, 400, 403, 404, 410, 422]) expect(isReplayable(status), String(status)).toBe(true);
    for (const status of [409, 429, 500, 502, 503, 504, 100, 302]) expect(isReplayable(status), String(status)).toBe(false);
  });
});
