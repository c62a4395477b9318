import { randomUUID } from 'node:crypto';
import { signRequest } from '@bitro/gateway-contract';
import { requestJson } from '@bitro/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes, startTestGateway, TEST_HMAC_SECRET, type TestGateway } from './test-gateway';

const ROTATED_SECRET = 'the-new-secret-after-rotation-0123456789ab';
const body = { address: 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080' };

describe('internal API request signing', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway({ GATEWAY_HMAC_SECRET: `${ROTATED_SECRET},${TEST_HMAC_SECRET}` });
  });
  afterAll(() => gateway?.close());

  const expectRefused = (response: { status: number; headers: Headers; body: Record<string, unknown> }, reason: string) => {
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body['type']).toBe(`https://bitro.dev/problems/${reason}`);
    expect(response.body['detail']).toEqual(expect.any(String));
  };

  it('accepts a correctly signed request', async () => {
    const response = await gateway.post(routes.validate, body);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ valid: true, type: 'p2wpkh' });
  });

  it('refuses an unsigned request', async () => {
    expectRefused(await requestJson(gateway.url, 'POST', routes.validate, { body }), 'missing-timestamp');
  });

  it('refuses a request whose body was changed after signing, even by one byte of whitespace', async () => {
    const signed = JSON.stringify(body);
    const headers = { ...signRequest({ method: 'POST', path: routes.validate, body: signed, secret: TEST_HMAC_SECRET }) };
    expectRefused(await requestJson(gateway.url, 'POST', routes.validate, { rawBody: JSON.stringify({ address: 'bcrt1qtampered' }), headers }), 'bad-signature');
    expectRefused(await requestJson(gateway.url, 'POST', routes.validate, { rawBody: `${signed} `, headers }), 'bad-signature');
  });

  it('refuses a signature for another path', async () => {
    const rawBody = JSON.stringify({ userId: randomUUID() });
    const headers = { ...signRequest({ method: 'POST', path: routes.validate, body: rawBody, secret: TEST_HMAC_SECRET }) };
    expectRefused(await requestJson(gateway.url, 'POST', routes.depositAddresses, { rawBody, headers }), 'bad-signature');
  });

  it('refuses a stale timestamp (a replay outside the window)', async () => {
    const timestamp = Math.floor(Date.now() / 1000) - gateway.env.GATEWAY_HMAC_WINDOW_SECONDS - 5;
    expectRefused(await gateway.post(routes.validate, body, { timestamp }), 'stale-timestamp');
  });

  it('refuses a secret it does not know', async () => {
    expectRefused(await gateway.post(routes.validate, body, { secret: 'some-other-secret-0123456789abcdef-xyz' }), 'bad-signature');
  });

  it('accepts both the new and the old secret during a rotation', async () => {
    expect((await gateway.post(routes.validate, body, { secret: ROTATED_SECRET })).status).toBe(200);
    expect((await gateway.post(routes.validate, body, { secret: TEST_HMAC_SECRET })).status).toBe(200);
  });

  it('checks the signature before validating the body', async () => {
    expectRefused(await requestJson(gateway.url, 'POST', routes.validate, { body: { nonsense: true } }), 'missing-timestamp');
    expect((await gateway.post(routes.validate, { nonsense: true })).status).toBe(400);
  });

  it('leaves the health probes unsigned', async () => {
    expect((await requestJson(gateway.url, 'GET', '/health/live')).status).toBe(200);
  });
});
