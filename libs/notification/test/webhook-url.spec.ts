import { describe, expect, it } from 'vitest';
import { webhookUrlProblem } from '../src/webhooks/webhook-url';
import { formatBtc } from '../src/templates/btc-amount';
import { backoffMs } from '../src/delivery/backoff';

describe('webhookUrlProblem', () => {
  it('allows loopback outside production only', () => {
    expect(webhookUrlProblem('http://127.0.0.1:8080/x', false)).toBeNull();
    expect(webhookUrlProblem('http://127.0.0.1:8080/x', true)).toMatch(/private/);
    expect(webhookUrlProblem('http://localhost/x', true)).toMatch(/this machine/);
  });

  it.each(['http://10.1.2.3/', 'http://192.168.0.1/', 'http://172.20.0.1/', 'http://169.254.169.254/latest', 'http://[::1]/', 'http://[fd00::1]/', 'http://[::ffff:127.0.0.1]/'])(
    'refuses %s in production',
    (url) => {
      expect(webhookUrlProblem(url, true)).not.toBeNull();
    },
  );

  it('accepts public hosts in production', () => {
    expect(webhookUrlProblem('https://hooks.example.com/bitro', true)).toBeNull();
    expect(webhookUrlProblem('https://8.8.8.8/', true)).toBeNull();
  });
});

describe('formatBtc and backoffMs', () => {
  it('formats satoshis with 8 decimals exactly', () => {
    expect(formatBtc('0')).toBe('0.00000000');
    expect(formatBtc('1')).toBe('0.00000001');
    expect(formatBtc(123_456_789n)).toBe('1.23456789');
    expect(formatBtc('2100000000000000')).toBe('21,000,000.00000000');
  });

  it('doubles from the base up to the maximum', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffMs(attempt, 100, 500))).toEqual([100, 200, 400, 500]);
    expect(backoffMs(200, 1_000, 3_600_000)).toBe(3_600_000);
  });
});
