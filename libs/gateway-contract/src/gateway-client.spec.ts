import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GatewayClient, gatewayClientFromEnv, GatewayRefusedError, GatewayRejectedError, GatewayUnavailableError } from './gateway-client';
import { bumpWithdrawalFeeRoute, estimateWithdrawalFeeRoute, issueDepositAddressRoute, validateAddressRoute } from './internal-routes';
import { verifyRequest } from './request-signing';

const secret = 'gateway-client-spec-secret-0123456789abcdef';
const userId = '7d1d5a8e-3a4f-4b6c-9a53-2f0e4b8a1c11';
const address = 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080';

interface Received {
  method: string;
  url: string;
  contentType: string | undefined;
  body: string;
}

/** How the server answers the next request: a status and a body, after `delayMs`. */
let answer: { status: number; body: unknown; delayMs?: number };
let received: Received[] = [];
let server: Server;
let baseUrl: string;

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  received.push({ method: request.method ?? '', url: request.url ?? '', contentType: request.headers['content-type'], body: body.toString('utf8') });
  const verified = verifyRequest({ method: request.method ?? '', path: request.url ?? '', body, headers: request.headers, secret });
  if (!verified.ok) {
    response.writeHead(401, { 'content-type': 'application/problem+json' });
    response.end(JSON.stringify({ type: `https://bitro.dev/problems/${verified.reason}`, title: 'Unauthorized', status: 401, detail: verified.message }));
    return;
  }
  if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
  if (response.destroyed) return;
  response.writeHead(answer.status, { 'content-type': 'application/json' });
  response.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
}

beforeAll(async () => {
  server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  received = [];
  answer = { status: 200, body: {} };
});

const client = (overrides: Partial<ConstructorParameters<typeof GatewayClient>[0]> = {}) => new GatewayClient({ baseUrl, secret, timeoutMs: 1_000, ...overrides });
const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

describe('GatewayClient', () => {
  it('POSTs the signed JSON body and parses the answer with the route contract', async () => {
    answer = { status: 200, body: { userId, address, type: 'p2wpkh', network: 'regtest', extra: 'dropped' } };
    await expect(client().call(issueDepositAddressRoute, { userId })).resolves.toEqual({ userId, address, type: 'p2wpkh', network: 'regtest' });
    expect(received).toEqual([{ method: 'POST', url: '/internal/v1/deposit-addresses', contentType: 'application/json', body: JSON.stringify({ userId }) }]);
  });

  it('types a union answer of the contract', async () => {
    answer = { status: 200, body: { valid: false, reason: 'bad-checksum', message: 'Invalid Bech32 checksum' } };
    const result = await client().call(validateAddressRoute, { address: 'bcrt1qnope' });
    expect(result).toEqual({ valid: false, reason: 'bad-checksum', message: 'Invalid Bech32 checksum' });
  });

  it('refuses to send a body outside the contract', async () => {
    await expect(client().call(estimateWithdrawalFeeRoute, { address, amountSats: '0' })).rejects.toThrow(/amountSats/);
    expect(received).toEqual([]);
  });

  it('reports a refused signature as GatewayRejectedError with the status and the problem', async () => {
    const error = await failureOf(client({ secret: 'another-secret-of-the-same-length-0123456' }).call(issueDepositAddressRoute, { userId }));
    expect(error).toBeInstanceOf(GatewayRejectedError);
    expect(error).toMatchObject({ status: 401, path: '/internal/v1/deposit-addresses', problem: { type: 'https://bitro.dev/problems/bad-signature', status: 401 } });
    expect((error as Error).message).toContain('401: signature does not match the request');
  });

  it('reports other 4xx answers as GatewayRejectedError, a non-JSON body as text', async () => {
    answer = { status: 400, body: 'not json' };
    await expect(client().call(issueDepositAddressRoute, { userId })).rejects.toMatchObject({ name: 'GatewayRejectedError', status: 400, problem: 'not json' });
  });

  it("reports a 409/422 naming one of the route's refusals as GatewayRefusedError with the reason; anything else stays rejected", async () => {
    const bump = { withdrawalId: userId, feeRateSatPerVb: '12.5' };
    answer = { status: 409, body: { type: 'https://bitro.dev/problems/exceeds-max-fee', title: 'Conflict', status: 409, detail: 'the fee share would exceed the maximum' } };
    const error = await failureOf(client().call(bumpWithdrawalFeeRoute, bump));
    expect(error).toBeInstanceOf(GatewayRefusedError);
    expect(error).toMatchObject({ status: 409, reason: 'exceeds-max-fee', detail: 'the fee share would exceed the maximum', path: '/internal/v1/withdrawals/fee-bumps' });
    answer = { status: 422, body: { type: 'https://bitro.dev/problems/invalid-fee-rate', status: 422, detail: 'bad rate' } };
    await expect(client().call(bumpWithdrawalFeeRoute, bump)).rejects.toMatchObject({ name: 'GatewayRefusedError', status: 422, reason: 'invalid-fee-rate' });
    for (const [status, type] of [[409, 'https://bitro.dev/problems/something-else'], [400, 'https://bitro.dev/problems/not-broadcast']] as const) {
      answer = { status, body: { type, status } };
      await expect(client().call(bumpWithdrawalFeeRoute, bump)).rejects.toMatchObject({ name: 'GatewayRejectedError', status });
    }
    // A route without refusals never turns a 409 into one.
    answer = { status: 409, body: { type: 'https://bitro.dev/problems/not-broadcast', status: 409 } };
    await expect(client().call(issueDepositAddressRoute, { userId })).rejects.toMatchObject({ name: 'GatewayRejectedError', status: 409 });
  });

  it('checks a fee rate as Core takes it before sending', async () => {
    for (const feeRateSatPerVb of ['0', '0.000', '1.2345', '-1', '1e3', ' 5']) {
      await expect(client().call(bumpWithdrawalFeeRoute, { withdrawalId: userId, feeRateSatPerVb })).rejects.toThrow(/feeRateSatPerVb/);
    }
    expect(received).toEqual([]);
  });

  it('reports a 5xx as GatewayUnavailableError with the status', async () => {
    answer = { status: 503, body: { type: 'https://bitro.dev/problems/bitcoin-node-unavailable', status: 503, detail: 'The Bitcoin node cannot answer now: warming up' } };
    const error = await failureOf(client().call(issueDepositAddressRoute, { userId }));
    expect(error).toBeInstanceOf(GatewayUnavailableError);
    expect(error).toMatchObject({ status: 503, reason: 'bitcoin-node-unavailable' });
    expect((error as Error).message).toContain('warming up');
    answer = { status: 500, body: '' };
    await expect(client().call(issueDepositAddressRoute, { userId })).rejects.toMatchObject({ name: 'GatewayUnavailableError', status: 500 });
  });

  it('reports an answer outside the contract as GatewayUnavailableError', async () => {
    for (const body of ['{"userId":', { userId, address, type: 'p2wpkh', network: 'mainnet' }]) {
      answer = { status: 200, body };
      await expect(client().call(issueDepositAddressRoute, { userId })).rejects.toMatchObject({ name: 'GatewayUnavailableError', status: 200 });
    }
  });

  it('gives up after the timeout with GatewayUnavailableError', async () => {
    answer = { status: 200, body: { userId, address, type: 'p2wpkh', network: 'regtest' }, delayMs: 2_000 };
    const started = Date.now();
    const error = await failureOf(client({ timeoutMs: 150 }).call(issueDepositAddressRoute, { userId }));
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(error).toBeInstanceOf(GatewayUnavailableError);
    expect((error as Error).message).toContain('no answer within 150 ms');
  });

  it('reports an unreachable gateway as GatewayUnavailableError', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failureOf(client({ baseUrl: `http://127.0.0.1:${port}` }).call(issueDepositAddressRoute, { userId }));
    expect(error).toBeInstanceOf(GatewayUnavailableError);
    expect((error as Error).message).toContain('ECONNREFUSED');
  });

  it('uses the fetch it is given', async () => {
    const calls: string[] = [];
    const fake: typeof fetch = async (input) => {
      calls.push(String(input));
      return new Response(JSON.stringify({ feeSats: '1410', feeRateSatPerKvB: '10000', confTarget: 6 }), { status: 200 });
    };
    await expect(client({ fetch: fake }).call(estimateWithdrawalFeeRoute, { address, amountSats: '50000' })).resolves.toEqual({
      feeSats: '1410',
      feeRateSatPerKvB: '10000',
      confTarget: 6,
    });
    expect(calls).toEqual([`${baseUrl}/internal/v1/withdrawal-fee-estimates`]);
    expect(() => new GatewayClient({ baseUrl, secret: '', timeoutMs: 1 })).toThrow(/secret/);
  });

  it("is configured from bitro-api's env, and absent without the secret", () => {
    expect(gatewayClientFromEnv({ GATEWAY_URL: baseUrl, GATEWAY_HMAC_SECRET: secret, GATEWAY_TIMEOUT_MS: 1_000 })).toBeInstanceOf(GatewayClient);
    expect(gatewayClientFromEnv({ GATEWAY_URL: baseUrl, GATEWAY_TIMEOUT_MS: 1_000 })).toBeNull();
  });
});
