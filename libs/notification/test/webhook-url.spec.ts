import { describe, expect, it } from 'vitest';
import { backoffMs } from '../src/features/delivery/backoff';
import { formatBtc } from '../src/features/templates/btc-amount';
import { AddressNotAllowed, guardedLookup } from '../src/features/webhooks/guarded-lookup';
import { type ResolveAll, webhookUrlProblem } from '../src/features/webhooks/webhook-url';

const resolvesTo =
  (table: Record<string, string[]>): ResolveAll =>
  async (host) =>
    table[host] ?? Promise.reject(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }));

describe('webhookUrlProblem', () => {
  it('allows loopback only when configured', async () => {
    expect(await webhookUrlProblem('http://127.0.0.1:8080/x', true)).toBeNull();
    expect(await webhookUrlProblem('http://localhost./x', true)).toBeNull();
    expect(await webhookUrlProblem('http://127.0.0.1:8080/x', false)).toMatch(/loopback/);
    expect(await webhookUrlProblem('http://localhost/x', false)).toMatch(/this machine/);
    expect(await webhookUrlProblem('http://LOCALHOST./x', false)).toMatch(/this machine/);
    expect(await webhookUrlProblem('http://a.b.localhost/x', false)).toMatch(/this machine/);
    // Loopback allowed still refuses the private network.
    expect(await webhookUrlProblem('http://10.0.0.1/x', true)).toMatch(/private/);
  });

  it.each([
    'http://0.0.0.0/',
    'http://10.1.2.3/',
    'http://100.64.0.1/',
    'http://192.168.0.1/',
    'http://172.20.0.1/',
    'http://169.254.169.254/latest',
    'http://198.18.0.1/',
    'http://224.0.0.1/',
    'http://255.255.255.255/',
    'http://240.0.0.1/',
    'http://192.0.2.1/',
    'http://2130706433/',
    'http://0x7f.1/',
    'http://[::]/',
    'http://[::1]/',
    'http://[fd00::1]/',
    'http://[fe80::1]/',
    'http://[fec0::1]/',
    'http://[ff02::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:10.0.0.1]/',
    'http://[64:ff9b::7f00:1]/',
    'http://[64:ff9b::a00:1]/',
    'http://[2002:7f00:1::]/',
    'http://[2002:c0a8:1::1]/',
    'http://[2001::1]/',
    'http://[::7f00:1]/',
    'http://[2001:db8::1]/',
  ])('refuses %s', async (url) => {
    expect(await webhookUrlProblem(url, false)).toMatch(/^must not be a \w+ address$/);
  });

  it('refuses a name that resolves to a refused address, without naming the address', async () => {
    const resolve = resolvesTo({ '127.0.0.1.nip.io': ['127.0.0.1'], 'mixed.example': ['93.184.215.14', '10.0.0.7'], 'internal.example': ['fd12::1'] });
    expect(await webhookUrlProblem('http://127.0.0.1.nip.io/', false, resolve)).toBe('must not resolve to a loopback address');
    expect(await webhookUrlProblem('https://mixed.example/', false, resolve)).toBe('must not resolve to a private address');
    expect(await webhookUrlProblem('https://internal.example/', false, resolve)).toBe('must not resolve to a uniqueLocal address');
  });

  it('accepts public hosts, and names that do not resolve yet (each delivery checks again)', async () => {
    const resolve = resolvesTo({ 'hooks.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'] });
    expect(await webhookUrlProblem('https://hooks.example.com/bitro', false, resolve)).toBeNull();
    expect(await webhookUrlProblem('https://not-yet.example/bitro', false, resolve)).toBeNull();
    expect(await webhookUrlProblem('https://8.8.8.8/', false)).toBeNull();
    expect(await webhookUrlProblem('https://[2606:4700::1111]/', false)).toBeNull();
    expect(await webhookUrlProblem('https://[64:ff9b::808:808]/', false)).toBeNull();
  });

  it('refuses what is not an http(s) URL or carries credentials', async () => {
    expect(await webhookUrlProblem('ftp://example.com/', false)).toMatch(/http/);
    expect(await webhookUrlProblem('https://u:p@example.com/', false)).toMatch(/credentials/);
    expect(await webhookUrlProblem('not a url', false)).toMatch(/absolute/);
  });
});

describe('guardedLookup', () => {
  const lookup = (allowLoopback: boolean, host: string, all: boolean) =>
    new Promise<{ error: (Error & { code?: string }) | null; address: unknown }>((resolve) => {
      guardedLookup(allowLoopback)(host, { all }, (error, address) => resolve({ error, address }));
    });

  it('refuses loopback names unless allowed, whichever form the socket asks for', async () => {
    for (const all of [true, false]) {
      const refused = await lookup(false, 'localhost', all);
      expect(refused.error).toBeInstanceOf(AddressNotAllowed);
      expect(refused.error?.code).toBe('EADDRNOTALLOWED');
    }
    const allowed = await lookup(true, 'localhost', false);
    expect(allowed.error).toBeNull();
    expect(allowed.address).toMatch(/^(127\.0\.0\.1|::1)$/);
    expect((await lookup(true, 'localhost', true)).address).toEqual(expect.arrayContaining([expect.objectContaining({ address: expect.any(String) })]));
  });

  it('passes a resolution failure through', async () => {
    expect((await lookup(false, 'no-such-host.invalid', true)).error?.code).toMatch(/ENOTFOUND|EAI_AGAIN/);
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
