import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HttpIssuer, type HttpIssuerOptions } from './http-issuer.adapter';
import { IssuerRequestRejectedError, IssuerUnavailableError } from './issuer.port';
import { SANDBOX_PINS } from './sandbox-issuer.adapter';
import { createIssuerServer, type IssuerServer } from './sandbox-issuer.server';

const API_KEY = 'test-issuer-key';
const brand = 'cultureland';
let server: IssuerServer;
let baseUrl: string;

async function listen(target: Server): Promise<string> {
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
}

async function close(target: Server): Promise<void> {
  target.closeAllConnections();
  await new Promise((resolve) => target.close(resolve));
}

function issuer(options: Partial<HttpIssuerOptions> = {}): HttpIssuer {
  return new HttpIssuer({ baseUrl, apiKey: API_KEY, timeoutMs: 2_000, backoffMs: 5, ...options });
}

async function rejection<E extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  return error as E;
}

beforeEach(async () => {
  server = createIssuerServer({ apiKey: API_KEY });
  baseUrl = await listen(server);
});

afterEach(async () => {
  await close(server);
});

describe('HttpIssuer against the sandbox issuer server', () => {
  it('verifies valid, invalid and already-used PINs', async () => {
    expect(await issuer().verify({ brand, pin: SANDBOX_PINS.valid50k })).toEqual({ status: 'valid', faceValueKrw: 50_000n });
    expect(await issuer().verify({ brand, pin: SANDBOX_PINS.invalid })).toEqual({ status: 'invalid' });
    expect(await issuer().verify({ brand, pin: SANDBOX_PINS.alreadyUsed })).toEqual({ status: 'already-used' });
    expect(server.controls.sandbox.redemptionCount).toBe(0);
  });

  it('sends the API key as a bearer token and JSON', async () => {
    await issuer().verify({ brand, pin: SANDBOX_PINS.valid10k });
    expect(server.controls.requests).toEqual([
      expect.objectContaining({ method: 'POST', path: '/v1/pins/verify', headers: expect.objectContaining({ authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' }) }),
    ]);
  });

  it('keeps a path prefix of the base URL', async () => {
    const error = await rejection(issuer({ baseUrl: `${baseUrl}/api/` }).verify({ brand, pin: SANDBOX_PINS.valid10k }), IssuerRequestRejectedError);
    expect(error.message).toBe(`Issuer ${baseUrl}/api/v1/pins/verify refused the request: HTTP 404 ("no route /api/v1/pins/verify")`);
  });

  it('does not retry a 4xx answer: a wrong API key', async () => {
    const error = await rejection(issuer({ apiKey: 'wrong' }).verify({ brand, pin: SANDBOX_PINS.valid10k }), IssuerRequestRejectedError);
    expect(error).toBeInstanceOf(IssuerUnavailableError);
    expect(error.httpStatus).toBe(401);
    expect(error.message).toBe(`Issuer ${baseUrl}/v1/pins/verify refused the request: HTTP 401 ("missing or wrong API key")`);
    expect(server.controls.requests).toHaveLength(1);
  });

  it('times out a slow verification and succeeds on the retry', async () => {
    server.controls.delayNext(1, 1_000);
    expect(await issuer({ timeoutMs: 150 }).verify({ brand, pin: SANDBOX_PINS.valid10k })).toEqual({ status: 'valid', faceValueKrw: 10_000n });
    expect(server.controls.requests).toHaveLength(2);
  });

  it('retries 503 answers, then gives up naming every failure', async () => {
    server.controls.failNext(2);
    expect(await issuer().verify({ brand, pin: SANDBOX_PINS.valid10k })).toMatchObject({ status: 'valid' });
    expect(server.controls.requests).toHaveLength(3);

    server.controls.failNext(3);
    const error = await rejection(issuer().verify({ brand, pin: SANDBOX_PINS.valid10k }), IssuerUnavailableError);
    expect(error.message).toBe(`Issuer ${baseUrl}/v1/pins/verify failed 3 time(s): HTTP 503; HTTP 503; HTTP 503`);
    expect(server.controls.requests).toHaveLength(6);
  });

  it('reports an issuer that is down', async () => {
    server.controls.down = true;
    const error = await rejection(issuer().verify({ brand, pin: SANDBOX_PINS.valid10k }), IssuerUnavailableError);
    expect(error).not.toBeInstanceOf(IssuerRequestRejectedError);
    expect(error.message).toMatch(new RegExp(`^Issuer ${baseUrl}/v1/pins/verify failed 3 time\\(s\\): request failed: fetch failed`));
    expect(server.controls.requests).toHaveLength(3);

    await close(server);
    const refused = await rejection(issuer().redeem({ brand, pin: SANDBOX_PINS.valid10k, reference: 'r-refused' }), IssuerUnavailableError);
    expect(refused.message).toContain('request failed: fetch failed (ECONNREFUSED)');
  });

  it('redeems a PIN once: the same reference answers the first result, another reference already-used', async () => {
    const reference = '0b4c6a2e-6d1f-4a7e-9c55-1d2f3a4b5c6d';
    expect(await issuer().redeem({ brand, pin: SANDBOX_PINS.valid10k, reference })).toEqual({ status: 'redeemed', faceValueKrw: 10_000n });
    expect(await issuer().redeem({ brand, pin: SANDBOX_PINS.valid10k, reference })).toEqual({ status: 'redeemed', faceValueKrw: 10_000n });
    expect(await issuer().redeem({ brand, pin: SANDBOX_PINS.valid10k, reference: 'another' })).toEqual({ status: 'already-used' });
    expect(await issuer().redeem({ brand, pin: SANDBOX_PINS.invalid, reference: 'third' })).toEqual({ status: 'invalid' });
    expect(server.controls.sandbox.redemptionCount).toBe(1);
    expect(server.controls.requests.map((request) => [request.path, request.headers['idempotency-key']])).toEqual([
      ['/v1/pins/redeem', reference],
      ['/v1/pins/redeem', reference],
      ['/v1/pins/redeem', 'another'],
      ['/v1/pins/redeem', 'third'],
    ]);
  });

  it('retries a redeem whose answer was lost, and the issuer uses the PIN once', async () => {
    server.controls.dropAnswerOfNext(1);
    expect(await issuer().redeem({ brand, pin: SANDBOX_PINS.valid50k, reference: 'r-lost' })).toEqual({ status: 'redeemed', faceValueKrw: 50_000n });
    expect(server.controls.requests).toHaveLength(2);
    expect(server.controls.sandbox.redemptionCount).toBe(1);
    expect(server.controls.sandbox.usedByReference(SANDBOX_PINS.valid50k)).toBe('r-lost');
  });

  it('retries a redeem on 503 and never on a 4xx', async () => {
    server.controls.failNext(1);
    expect(await issuer().redeem({ brand, pin: SANDBOX_PINS.valid10k, reference: 'r-1' })).toMatchObject({ status: 'redeemed' });
    expect(server.controls.requests).toHaveLength(2);

    const conflict = await rejection(issuer().redeem({ brand, pin: SANDBOX_PINS.valid50k, reference: 'r-1' }), IssuerRequestRejectedError);
    expect(conflict.httpStatus).toBe(409);
    expect(conflict.message).toContain('reference r-1 was used for another PIN');
    expect(server.controls.requests).toHaveLength(3);

    const malformed = await rejection(issuer().redeem({ brand, pin: SANDBOX_PINS.valid50k, reference: 'not a header-safe key' }), IssuerRequestRejectedError);
    expect(malformed.httpStatus).toBe(400);
    expect(server.controls.requests).toHaveLength(4);
    expect(server.controls.sandbox.redemptionCount).toBe(1);
  });

  it('retries while the issuer says it is down (PINs starting 5555)', async () => {
    const error = await rejection(issuer().redeem({ brand, pin: SANDBOX_PINS.issuerDown, reference: 'r-down' }), IssuerUnavailableError);
    expect(error.message).toBe(`Issuer ${baseUrl}/v1/pins/redeem failed 3 time(s): HTTP 503; HTTP 503; HTTP 503`);
  });
});

describe('HttpIssuer against an issuer answering malformed JSON', () => {
  let answer: string;
  let hits: number;
  const raw = createServer((_request, response) => {
    hits++;
    response.writeHead(200, { 'content-type': 'application/json' }).end(answer);
  });
  let rawUrl: string;

  beforeEach(async () => {
    hits = 0;
    rawUrl = await listen(raw);
  });
  afterEach(async () => {
    await close(raw);
  });

  it.each([
    ['verify', 'not json', 'malformed answer (not JSON): "not json"'],
    ['verify', '{"status":"valid"}', 'malformed answer: faceValueKrw: Invalid input: expected string, received undefined'],
    ['verify', '{"status":"valid","faceValueKrw":10000}', 'malformed answer: faceValueKrw: Invalid input: expected string, received number'],
    ['verify', '{"status":"redeemed","faceValueKrw":"10000"}', "malformed answer: status: Invalid discriminator value. Expected 'valid' | 'invalid' | 'already-used'"],
    ['redeem', '{"status":"redeemed","faceValueKrw":"-5"}', 'malformed answer: faceValueKrw: must be a positive whole number of KRW as a decimal string'],
    ['redeem', '{"status":"redeemed","faceValueKrw":"1.5"}', 'malformed answer: faceValueKrw: must be a positive whole number of KRW as a decimal string'],
    ['redeem', '[]', 'malformed answer: answer: Invalid input: expected object, received array'],
  ])('%s: %s → IssuerUnavailableError, not retried', async (operation, body, problem) => {
    answer = body;
    const client = new HttpIssuer({ baseUrl: rawUrl, timeoutMs: 2_000, backoffMs: 5 });
    const call = operation === 'verify' ? client.verify({ brand, pin: SANDBOX_PINS.valid10k }) : client.redeem({ brand, pin: SANDBOX_PINS.valid10k, reference: 'r' });
    const error = await rejection(call, IssuerUnavailableError);
    expect(error.message).toBe(`Issuer ${rawUrl}/v1/pins/${operation}: ${problem}`);
    expect(error.message).not.toContain(SANDBOX_PINS.valid10k);
    expect(hits).toBe(1);
  });

  it('sends no Authorization header without an API key', async () => {
    let authorization: string | undefined = 'unset';
    raw.once('request', (request: { headers: { authorization?: string } }) => (authorization = request.headers.authorization));
    answer = '{"status":"invalid"}';
    expect(await new HttpIssuer({ baseUrl: rawUrl, timeoutMs: 2_000 }).verify({ brand, pin: '1' })).toEqual({ status: 'invalid' });
    expect(authorization).toBeUndefined();
  });
});
