import { describe, expect, it, vi } from 'vitest';
import { printReport } from './print-report';

describe('printReport', () => {
  it('prints the report with bigints as strings and a verdict line, and answers the exit code', () => {
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    expect(printReport('ledger', { ok: true, journals: 3n })).toBe(0);
    expect(printReport('audit', { ok: false })).toBe(1);
    log.mockRestore();
    expect(JSON.parse(lines[0] ?? '')).toEqual({ ok: true, journals: '3' });
    expect([lines[1], lines[3]]).toEqual(['ledger: OK', 'audit: BROKEN']);
  });
});
