import { describe, expect, it } from 'vitest';
import { BitroProblemError, createBitroClient, formatBtc, fromSats, paginate, toSats, unwrap } from '../src';

const BASE = 'http://bitro.test';
const problem = (status: number, code: string, extra: Record<string, unknown> = {}) =>
  new Response(JSON.stringify({ type: `https://bitro.dev/problems/${code}`, title: code, status, ...extra }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A scripted API: each request is recorded (with its body read) and answered by `answer`. */
function scripted(answer: (request: Request, body: string, n: number) => Response) {
  const seen: Array<{ method: string; path: string; headers: Headers; body: string }> = [];
  const fetch = async (request: Request) => {
    const body = await request.text();
    seen.push({ method: request.method, path: new URL(request.url).pathname, headers: request.headers, body });
    return answer(request, body, seen.length);
  };
  return { seen, fetch };
}

const WITHDRAWAL = { address: 'bcrt1qexample', amountSats: toSats(20_000_000n) };
const tokens = (n: number) => ({ accessToken: `access-${n}`, refreshToken: `refresh-${n}` });
const tokenPair = (n: number) => ({ tokenType: 'Bearer', expiresIn: 900, user: { id: 'u1' }, ...tokens(n) });

describe('createBitroClient', () => {
  it('sends one Idempotency-Key per logical call and the same one on each retry of 503 and 409 key-in-use', async () => {
    const api = scripted((_request, _body, n) => (n === 1 ? problem(503, 'unavailable') : n === 2 ? problem(409, 'idempotency-key-in-use') : json(202, { id: 'w1' })));
    const retried: number[] = [];
    const client = createBitroClient({ baseUrl: BASE, fetch: api.fetch, tokens: tokens(1), retry: { maxDelayMs: 1, onRetry: (answer) => retried.push(answer.status) } });

    const { data, response } = await client.POST('/v1/wallet/withdrawals', { body: WITHDRAWAL });
    expect(response.status).toBe(202);
    expect(retried).toEqual([503, 409]);
    expect(data).toEqual({ id: 'w1' });
    expect(api.seen).toHaveLength(3);
    const keys = api.seen.map((r) => r.headers.get('idempotency-key'));
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(keys).size).toBe(1);
    expect(api.seen.every((r) => r.body === JSON.stringify(WITHDRAWAL) && r.headers.get('authorization') === 'Bearer access-1')).toBe(true);

    await client.POST('/v1/wallet/withdrawals', { body: WITHDRAWAL });
    expect(api.seen[3]?.headers.get('idempotency-key')).not.toBe(keys[0]);
  });

  it("keeps the caller's own Idempotency-Key, sends none on reads, and does not retry other conflicts", async () => {
    const api = scripted((request) => (request.method === 'GET' ? json(200, { availableSats: '0', heldSats: '0' }) : problem(409, 'pin-already-redeemed')));
    const client = createBitroClient({ baseUrl: BASE, fetch: api.fetch, retry: { maxDelayMs: 1 } });
    const refused = await client.POST('/v1/giftcards/redemptions', { body: { brand: 'cultureland', pin: '1111222233334444' }, headers: { 'Idempotency-Key': 'mine-1' } });
    expect(refused.response.status).toBe(409);
    await client.GET('/v1/wallet/balance');
    expect(api.seen.map((r) => [r.method, r.headers.get('idempotency-key')])).toEqual([
      ['POST', 'mine-1'],
      ['GET', null],
    ]);
  });

  it('gives up after the configured retries and answers the last "retry shortly"', async () => {
    const api = scripted(() => problem(503, 'unavailable'));
    const client = createBitroClient({ baseUrl: BASE, fetch: api.fetch, retry: { retries: 2, maxDelayMs: 1 } });
    const { error, response } = await client.GET('/v1/wallet/balance');
    expect(response.status).toBe(503);
    expect(error).toMatchObject({ status: 503 });
    expect(api.seen).toHaveLength(3);
  });

  it('waits as Retry-After asks, and hands back a 503 whose Retry-After is longer than the policy allows', async () => {
    const tooLong = new Response(JSON.stringify({ type: 'https://bitro.dev/problems/fee-estimate-unavailable', title: 'x', status: 503 }), {
      status: 503,
      headers: { 'content-type': 'application/problem+json', 'retry-after': '60' },
    });
    const api = scripted((_request, _body, n) => (n === 1 ? new Response(null, { status: 503, headers: { 'retry-after': '0' } }) : tooLong));
    const client = createBitroClient({ baseUrl: BASE, fetch: api.fetch, retry: { maxDelayMs: 1_000 } });
    const { error, response } = await client.POST('/v1/wallet/withdrawals', { body: WITHDRAWAL });
    expect(response.status).toBe(503);
    expect(error).toMatchObject({ type: 'https://bitro.dev/problems/fee-estimate-unavailable' });
    expect(api.seen).toHaveLength(2);
  });

  it('refreshes once on a 401 and sends the call again with the new token; concurrent 401s share the refresh', async () => {
    let refreshes = 0;
    const api = scripted((request, body) => {
      if (new URL(request.url).pathname === '/v1/auth/refresh') {
        refreshes += 1;
        expect(JSON.parse(body)).toEqual({ refreshToken: 'refresh-1' });
        return json(200, tokenPair(2));
      }
      return request.headers.get('authorization') === 'Bearer access-2' ? json(200, { availableSats: '5', heldSats: '0' }) : problem(401, 'unauthorized');
    });
    const client = createBitroClient({ baseUrl: BASE, fetch: api.fetch, tokens: tokens(1) });
    const [a, b] = await Promise.all([unwrap(client.GET('/v1/wallet/balance')), unwrap(client.GET('/v1/wallet/balance'))]);
    expect(a).toEqual({ availableSats: '5', heldSats: '0' });
    expect(b).toEqual(a);
    expect(refreshes).toBe(1);
    expect(client.session.refreshToken).toBe('refresh-2');
  });

  it('answers the 401 when the refresh is refused, and ends the session', async () => {
    const api = scripted((request) => (new URL(request.url).pathname === '/v1/auth/refresh' ? problem(401, 'refresh-token-reused') : problem(401, 'unauthorized')));
    const client = createBitroClient({ baseUrl: BASE, fetch: api.fetch, tokens: tokens(1) });
    const failure = await unwrap(client.GET('/v1/me')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BitroProblemError);
    expect(failure).toMatchObject({ status: 401, code: 'unauthorized' });
    expect(api.seen.map((r) => r.path)).toEqual(['/v1/me', '/v1/auth/refresh']);
    expect(client.session.accessToken).toBeUndefined();
  });

  it('signs in and signs later calls with the session', async () => {
    const api = scripted((request) => (new URL(request.url).pathname === '/v1/auth/login' ? json(200, tokenPair(7)) : json(200, { id: 'u1' })));
    const client = createBitroClient({ baseUrl: BASE, fetch: api.fetch });
    expect(await client.signIn({ email: 'a@example.com', password: 'secret password' })).toEqual({ ...tokens(7), userId: 'u1' });
    await client.GET('/v1/me');
    expect(api.seen[0]?.headers.get('authorization')).toBeNull();
    expect(api.seen[1]?.headers.get('authorization')).toBe('Bearer access-7');
  });
});

describe('BitroProblemError', () => {
  it('carries the status, type, title, detail and the fields at fault', async () => {
    const errors = [{ in: 'body', pointer: '/amountSats', message: 'Expected an integer string' }];
    const api = scripted(() => problem(400, 'validation', { title: 'Invalid request', detail: 'One field is invalid.', requestId: 'r1', errors }));
    const client = createBitroClient({ baseUrl: BASE, fetch: api.fetch });
    const error = (await unwrap(client.POST('/v1/wallet/withdrawals', { body: WITHDRAWAL })).catch((e: unknown) => e)) as BitroProblemError;
    expect(error).toBeInstanceOf(BitroProblemError);
    expect(error).toMatchObject({ status: 400, type: 'https://bitro.dev/problems/validation', code: 'validation', title: 'Invalid request', detail: 'One field is invalid.', requestId: 'r1', errors });
    expect(error.message).toBe('400 Invalid request: One field is invalid.');
  });

  it('describes an answer that is not problem+json by its status and text', () => {
    const error = BitroProblemError.of(new Response('bad gateway', { status: 502, statusText: 'Bad Gateway' }), 'bad gateway');
    expect(error).toMatchObject({ status: 502, type: 'about:blank', title: 'Bad Gateway', detail: 'bad gateway', errors: [] });
  });
});

describe('money and pages', () => {
  it('converts amounts between bigint and their JSON strings exactly', () => {
    expect(toSats(2_100_000_000_000_000n)).toBe('2100000000000000');
    expect(fromSats('2100000000000001')).toBe(2_100_000_000_000_001n);
    expect(fromSats('-5')).toBe(-5n);
    for (const bad of ['', '1.5', '1e3', ' 1', '01', 'abc']) expect(() => fromSats(bad)).toThrow(TypeError);
    expect(formatBtc(10_000_000n)).toBe('0.10000000');
    expect(formatBtc(-123_456_789n)).toBe('-1.23456789');
  });

  it('walks every page of a list until there is no next cursor', async () => {
    const pages: Record<string, { items: number[]; nextCursor: string | null }> = { start: { items: [1, 2], nextCursor: 'b' }, b: { items: [3], nextCursor: null } };
    const cursors: Array<string | undefined> = [];
    const items: number[] = [];
    for await (const item of paginate(async (cursor) => (cursors.push(cursor), pages[cursor ?? 'start'] as (typeof pages)[string]))) items.push(item);
    expect(items).toEqual([1, 2, 3]);
    expect(cursors).toEqual([undefined, 'b']);
  });
});
