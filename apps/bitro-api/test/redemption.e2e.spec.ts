import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type JsonResponse, signUp, startTestApp, type TestApp, until } from './test-app';

let api: TestApp;
let token: string;

const VALID_PIN = '1111-2222-3333-4444'; // sandbox issuer: valid, 10,000 KRW

beforeAll(async () => {
  api = await startTestApp({ ISSUER: 'sandbox', PRICE_FEED: 'fixed', FIXED_PRICE_KRW_PER_BTC: '140000000', OUTBOX_RELAY_INTERVAL_MS: '50' });
  token = (await signUp(api, 'redeemer@example.com')).token;
});
afterAll(() => api?.close());

const redeem = (key: string, body: unknown) => call(api.url, 'POST', '/v1/giftcards/redemptions', { token, body, headers: { 'idempotency-key': key } });
const balance = () => call<{ availableSats: string; heldSats: string; totalSats: string; krw: { totalKrw: string } | null }>(api.url, 'GET', '/v1/wallet/balance', { token });

describe('gift-card redemption, end to end', () => {
  let first: JsonResponse;

  it('redeems a sandbox PIN and credits the quoted satoshis once', async () => {
    expect((await balance()).body.availableSats).toBe('0');
    first = await redeem('key-1', { brand: 'cultureland', pin: VALID_PIN });
    expect(first.status).toBe(202);
    // 10,000 KRW − 8 % fee = 9,200 KRW at 140,000,000 KRW/BTC = floor(6,571.43) sats.
    expect(first.body).toMatchObject({ brand: 'cultureland', faceValueKrw: '10000', feeKrw: '800', priceKrwPerBtc: '140000000', amountSats: '6571' });
    expect(['verified', 'credited']).toContain(first.body['state']);

    const credited = await until(
      'the credit',
      () => call(api.url, 'GET', `/v1/giftcards/redemptions/${String(first.body['id'])}`, { token }),
      (r) => r.body['state'] === 'credited',
    );
    expect(credited.status).toBe(200);
    const after = await balance();
    expect(after.body).toMatchObject({ availableSats: '6571', heldSats: '0', totalSats: '6571' });
    // KRW estimate at the same price: floor(6,571 × 140,000,000 / 10^8).
    expect(after.body.krw?.totalKrw).toBe('9199');

    const history = await call<{ items: Array<{ kind: string; availableDeltaSats: string; reference: string }> }>(api.url, 'GET', '/v1/wallet/transactions', { token });
    expect(history.body.items).toEqual([expect.objectContaining({ kind: 'credit', availableDeltaSats: '6571', reference: `redemption:${String(first.body['id'])}` })]);
  });

  it('answers a retry with the same key and body with the first answer, crediting nothing more', async () => {
    const retry = await redeem('key-1', { brand: 'cultureland', pin: VALID_PIN });
    expect(retry.status).toBe(first.status);
    expect(retry.body).toEqual(first.body);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await balance()).body.availableSats).toBe('6571');
  });

  it('refuses the same key with another body with 422', async () => {
    const other = await redeem('key-1', { brand: 'cultureland', pin: '5000-0000-0000-0000' });
    expect(other.status).toBe(422);
    expect(other.headers.get('content-type')).toContain('application/problem+json');
  });

  it('refuses the same PIN under another key with 409', async () => {
    const again = await redeem('key-2', { brand: 'cultureland', pin: VALID_PIN.replaceAll('-', '') });
    expect(again.status).toBe(409);
    expect((await balance()).body.availableSats).toBe('6571');
  });

  it('requires an Idempotency-Key and a well-formed PIN, naming the field at fault', async () => {
    const noKey = await call(api.url, 'POST', '/v1/giftcards/redemptions', { token, body: { brand: 'cultureland', pin: VALID_PIN } });
    expect(noKey.status).toBe(400);
    expect(JSON.stringify(noKey.body['errors'])).toContain('Idempotency-Key');
    const badPin = await redeem('key-3', { brand: 'cultureland', pin: '12-34' });
    expect(badPin.status).toBe(400);
    expect(badPin.body['errors']).toEqual([expect.objectContaining({ pointer: '/pin' })]);
  });

  it('lists the catalogue publicly', async () => {
    const brands = await call<Array<{ code: string }>>(api.url, 'GET', '/v1/giftcards/brands');
    expect(brands.status).toBe(200);
    expect(JSON.stringify(brands.body)).toContain('cultureland');
  });
});
