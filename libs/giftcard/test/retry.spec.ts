import type { AddressInfo } from 'node:net';
import { redemptionApprovedV1 } from '@bitro/service-api';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxValidPin } from '../src/features/redemptions/issuer/sandbox-issuer.adapter';
import { createIssuerServer, type IssuerServer } from '../src/features/redemptions/issuer/sandbox-issuer.server';
import { call, eventually, type GiftcardTestApp, outboxCount, startGiftcardApp } from './giftcard-test-app';

interface Redemption {
  id: string;
  state: string;
  faceValueKrw: string | null;
  amountSats: string | null;
  rejectionReason: string | null;
}

let issuer: IssuerServer;
let api: GiftcardTestApp;
let pins = 0;
const freshPin = () => sandboxValidPin(900_000 + pins++);

beforeAll(async () => {
  issuer = createIssuerServer({ apiKey: 'issuer-test-key' });
  await new Promise<void>((resolve) => issuer.listen(0, '127.0.0.1', resolve));
  api = await startGiftcardApp({
    ISSUER: 'http',
    ISSUER_URL: `http://127.0.0.1:${(issuer.address() as AddressInfo).port}`,
    ISSUER_API_KEY: 'issuer-test-key',
    ISSUER_TIMEOUT_MS: '300',
    REDEMPTION_RETRY_INTERVAL_MS: '200',
  });
});
afterAll(async () => {
  await api?.close();
  issuer?.closeAllConnections();
  await new Promise((resolve) => issuer?.close(resolve));
});

const redeem = (token: string, pin: string) =>
  call<Redemption>(api.url, 'POST', '/v1/giftcards/redemptions', { token, body: { brand: 'cultureland', pin }, headers: { 'idempotency-key': randomUUID() } });

const settled = (token: string, id: string) =>
  eventually(async () => {
    const { body } = await call<Redemption>(api.url, 'GET', `/v1/giftcards/redemptions/${id}`, { token });
    return body.state === 'pending' ? undefined : body;
  }, `redemption ${id} to leave pending`);

describe('an issuer or a price feed that is down', () => {
  it('leaves the redemption pending with its PIN sealed, and the retry job completes it once the issuer is back', async () => {
    const { token } = api.newUser();
    const pin = freshPin();
    issuer.controls.down = true;
    let pending;
    try {
      pending = await redeem(token, pin);
      expect(pending.status).toBe(202);
      expect(pending.body).toMatchObject({ state: 'pending', faceValueKrw: null, amountSats: null });
      const row = await api.prisma.redemption.findUniqueOrThrow({ where: { id: pending.body.id } });
      expect(row.lastError).toMatch(/IssuerUnavailableError/);
      // Never in clear: neither the hash nor the sealed copy contains the PIN.
      const digits = pin.replaceAll('-', '');
      expect(row.pinHash).not.toContain(digits);
      expect(row.pinCiphertext).not.toBeNull();
      expect(Buffer.from(row.pinCiphertext ?? []).includes(Buffer.from(digits))).toBe(false);
      // A retry run while the issuer is still down changes nothing.
      await eventually(async () => ((await api.prisma.redemption.findUniqueOrThrow({ where: { id: row.id } })).attempts > 1 ? true : undefined), 'a retry');
      expect((await api.prisma.redemption.findUniqueOrThrow({ where: { id: row.id } })).state).toBe('pending');
    } finally {
      issuer.controls.down = false;
    }

    const done = await settled(token, pending.body.id);
    expect(done).toMatchObject({ state: 'verified', faceValueKrw: '10000', amountSats: '6571' });
    const row = await api.prisma.redemption.findUniqueOrThrow({ where: { id: pending.body.id } });
    expect(row.pinCiphertext).toBeNull();
    expect(row.nextAttemptAt).toBeNull();
    expect(issuer.controls.sandbox.usedByReference(pin)).toBe(pending.body.id);
    expect(await outboxCount(api.pool, redemptionApprovedV1.name, pending.body.id)).toBe(1);
  });

  it('credits once a card the issuer used up while we never heard back, through its idempotent redeem', async () => {
    const { token } = api.newUser();
    const pin = freshPin();
    const before = issuer.controls.sandbox.redemptionCount;
    // The verify is answered; the redeem and HttpIssuer's two retries of it are handled only after the client gave up.
    issuer.controls.delayNext(1, 0);
    issuer.controls.delayNext(3, 600);
    const pending = await redeem(token, pin);
    expect(pending.body.state).toBe('pending');
    expect(issuer.controls.sandbox.usedByReference(pin)).toBe(pending.body.id);

    // The retry finds the card used (by us): redeeming under the same reference answers the first result.
    expect(await settled(token, pending.body.id)).toMatchObject({ state: 'verified', faceValueKrw: '10000' });
    expect(issuer.controls.sandbox.redemptionCount - before).toBe(1);
    expect(await outboxCount(api.pool, redemptionApprovedV1.name, pending.body.id)).toBe(1);
  });

  it('keeps a card unused while there is no price, then completes it', async () => {
    const { token } = api.newUser();
    const pin = freshPin();
    api.prices.available = false;
    let pending;
    try {
      pending = await redeem(token, pin);
      expect(pending.body.state).toBe('pending');
      expect(issuer.controls.sandbox.usedByReference(pin)).toBeUndefined();
      expect((await api.prisma.redemption.findUniqueOrThrow({ where: { id: pending.body.id } })).lastError).toMatch(/PriceUnavailableError/);
    } finally {
      api.prices.available = true;
    }
    expect(await settled(token, pending.body.id)).toMatchObject({ state: 'verified', amountSats: '6571' });
    expect(await outboxCount(api.pool, redemptionApprovedV1.name, pending.body.id)).toBe(1);
  });
});
