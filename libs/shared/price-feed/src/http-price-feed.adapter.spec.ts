import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpPriceFeed, type HttpPriceFeedOptions } from './http-price-feed.adapter';
import { PriceUnavailableError } from './price-feed.port';

/** A ticker endpoint in Upbit's format whose answers each test scripts. */
type Answer = (request: IncomingMessage, response: ServerResponse) => void;
let answers: Answer[];
let hits: number;
const server = createServer((request, response) => {
  hits++;
  (answers.length > 1 ? answers.shift() : answers[0])?.(request, response);
});
let url: string;

const ticker = (body: string): Answer => (_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json' }).end(body);
};
const status = (code: number): Answer => (_request, response) => {
  response.writeHead(code, { 'content-type': 'text/plain' }).end('nope');
};
const slow = (delayMs: number, then: Answer): Answer => (request, response) => {
  setTimeout(() => {
    if (!response.destroyed) then(request, response);
  }, delayMs);
};
const good = ticker('[{"market":"KRW-BTC","trade_date":"20241124","trade_price":140123000.0,"timestamp":1732450000000}]');

function feed(options: Partial<HttpPriceFeedOptions> = {}): HttpPriceFeed {
  return new HttpPriceFeed({ url, timeoutMs: 2_000, backoffMs: 5, logger: { warn: () => undefined }, ...options });
}

/** A clock the cache reads; tests move it instead of waiting. */
function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let time = 1_000_000;
  return { now: () => time, advance: (ms) => (time += ms) };
}

async function failure(promise: Promise<unknown>): Promise<PriceUnavailableError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PriceUnavailableError);
  return error as PriceUnavailableError;
}

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/ticker?markets=KRW-BTC`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  answers = [good];
  hits = 0;
});

describe('HttpPriceFeed against a local ticker server', () => {
  it('reads trade_price as whole KRW and the ticker time as asOf', async () => {
    const price = await feed().currentPrice();
    expect(price).toEqual({ krwPerBtc: 140_123_000n, asOf: new Date(1_732_450_000_000), source: url });
  });

  it('rounds a fractional price down exactly, without float rounding, and picks the KRW-BTC entry', async () => {
    answers = [ticker('[{"market":"KRW-ETH","trade_price":5000000},{"market":"KRW-BTC","trade_price":140123000.99999999999,"timestamp":1}]')];
    expect((await feed().currentPrice()).krwPerBtc).toBe(140_123_000n);
  });

  it('times out a slow answer and succeeds on the retry', async () => {
    answers = [slow(1_000, good), good];
    const price = await feed({ timeoutMs: 150 }).currentPrice();
    expect(price.krwPerBtc).toBe(140_123_000n);
    expect(hits).toBe(2);
  });

  it('retries 5xx answers', async () => {
    answers = [status(500), status(502), good];
    expect((await feed().currentPrice()).krwPerBtc).toBe(140_123_000n);
    expect(hits).toBe(3);
  });

  it('gives up after the retries, naming the URL and every failure', async () => {
    answers = [status(500), slow(1_000, good), status(503)];
    const error = await failure(feed({ timeoutMs: 150 }).currentPrice());
    expect(error.message).toBe(`Price feed ${url} failed 3 time(s): HTTP 500; timed out after 150 ms; HTTP 503`);
    expect(hits).toBe(3);
  });

  it('does not retry a 4xx answer', async () => {
    answers = [status(404), good];
    expect((await failure(feed().currentPrice())).message).toBe(`Price feed ${url}: HTTP 404`);
    expect(hits).toBe(1);
  });

  it('reports a feed that cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/ticker`;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure(new HttpPriceFeed({ url: deadUrl, timeoutMs: 500, backoffMs: 1, logger: { warn: () => undefined } }).currentPrice());
    expect(error.message).toContain(`Price feed ${deadUrl} failed 3 time(s): request failed: fetch failed (ECONNREFUSED)`);
  });

  it.each([
    ['garbage', '<html>Bad Gateway</html>', 'the answer is not JSON: "<html>Bad Gateway</html>"'],
    ['not an array', '{"market":"KRW-BTC","trade_price":1}', 'expected a JSON array of tickers, got a JSON object'],
    ['a missing market', '[{"market":"KRW-ETH","trade_price":5000000}]', 'no "KRW-BTC" entry in the ticker array'],
    ['a negative price', '[{"market":"KRW-BTC","trade_price":-140123000.0}]', '"trade_price" of KRW-BTC is not positive: -140123000.0'],
    ['a zero price', '[{"market":"KRW-BTC","trade_price":0.4}]', '"trade_price" of KRW-BTC is not positive: 0.4'],
    ['a missing price', '[{"market":"KRW-BTC"}]', '"trade_price" of KRW-BTC is not a number: missing'],
    ['a null price', '[{"market":"KRW-BTC","trade_price":null}]', '"trade_price" of KRW-BTC is not a number: null'],
    ['an infinite price', '[{"market":"KRW-BTC","trade_price":1e400}]', '"trade_price" of KRW-BTC is not a finite number of at most 15 digits: "1e400"'],
  ])('rejects %s with a clear PriceUnavailableError, without retrying', async (_case, body, problem) => {
    answers = [ticker(body), good];
    const error = await failure(feed().currentPrice());
    expect(error.message).toBe(`Price feed ${url}: unusable ticker: ${problem}`);
    expect(hits).toBe(1);
  });

  it('answers a cached price for a few seconds, and concurrent callers share one request', async () => {
    const clock = manualClock();
    const cached = feed({ now: clock.now, cacheTtlMs: 5_000 });
    answers = [slow(50, good)];
    await Promise.all(Array.from({ length: 20 }, () => cached.currentPrice()));
    expect(hits).toBe(1);

    clock.advance(4_999);
    await cached.currentPrice();
    expect(hits).toBe(1);

    clock.advance(1);
    answers = [ticker('[{"market":"KRW-BTC","trade_price":141000000}]')];
    expect((await cached.currentPrice()).krwPerBtc).toBe(141_000_000n);
    expect(hits).toBe(2);
  });

  it('answers the last price while the feed is down for less than maxStaleMs, then fails', async () => {
    const clock = manualClock();
    const warnings: string[] = [];
    const stale = feed({ now: clock.now, cacheTtlMs: 5_000, failureCooldownMs: 1_000, maxStaleMs: 60_000, logger: { warn: (m: string) => warnings.push(m) } });
    const first = await stale.currentPrice();

    answers = [status(503)];
    clock.advance(30_000);
    expect(await stale.currentPrice()).toBe(first);
    expect(hits).toBe(1 + 3);
    expect(warnings).toEqual([`Price feed ${url} failed 3 time(s): HTTP 503; HTTP 503; HTTP 503; answering the price fetched 30 s ago`]);

    // Within the cool-down after a failure the feed is not asked again.
    clock.advance(500);
    expect(await stale.currentPrice()).toBe(first);
    expect(hits).toBe(4);

    clock.advance(30_000);
    const error = await failure(stale.currentPrice());
    expect(error.message).toBe(`Price feed ${url} failed 3 time(s): HTTP 503; HTTP 503; HTTP 503`);
    expect(hits).toBe(7);

    // The feed is back: a fresh price again.
    answers = [good];
    clock.advance(1_000);
    expect((await stale.currentPrice()).krwPerBtc).toBe(140_123_000n);
  });

  it('fails at once without a price to fall back on', async () => {
    const clock = manualClock();
    const cold = feed({ now: clock.now });
    answers = [status(503)];
    await failure(cold.currentPrice());
    expect(hits).toBe(3);
    await failure(cold.currentPrice());
    expect(hits).toBe(3);
  });
});
