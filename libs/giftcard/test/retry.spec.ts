import type { AddressInfo } from 'node:net';
import { redemptionApprovedV1 } from '@bitro/service-api';
import type { ModuleTest } from '@bitro/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxValidPin } from '../src/features/redemptions/issuer/sandbox-issuer.adapter';
import { createIssuerServer, type IssuerServer } from '../src/features/redemptions/issuer/sandbox-issuer.server';
import { type GiftcardModuleTest, startGiftcardModule } from './giftcard-module-test';

interface Redemption {
  id: string;
  state: string;
  faceValueKrw: string | null;
  amountSats: string | null;
  rejectionReason: string | null;
}

let issuer: IssuerServer;
let giftcard: GiftcardModuleTest;
let mod: ModuleTest;
let pins = 0;
const freshPin = () => sandboxValidPin(900_000 + pins++);

beforeAll(async () => {
  issuer = createIssuerServer({ apiKey: 'issuer-test-key' });
  await new Promise<void>((resolve) => issuer.listen(0, '127.0.0.1', resolve));
  giftcard = await startGiftcardModule({
    env: {
      // The retry job runs in the background, as the app runs it.
      BITRO_ROLES: 'http,worker,scheduler',
      ISSUER: 'http',
      ISSUER_URL: `http://127.0.0.1:${(issuer.address() as AddressInfo).port}`,
      ISSUER_API_KEY: 'issuer-test-key',
      ISSUER_TIMEOUT_MS: '300',
      REDEMPTION_RETRY_INTERVAL_MS: '200',
    },
  });
  mod = giftcard.mod;
});
afterAll(async () => {
  await giftcard?.close();
  issuer?.closeAllConnections();
  await new Promise((resolve) => issuer?.close(resolve));
});

const redeem = (token: string, pin: string) => giftcard.redeem<Redemption>(token, { brand: 'cultureland', pin });

/** The redemption once the retry job in the background has taken it out of pending. */
const settled = (token: string, id: string) =>
  mod
    .scenario({ timeoutMs: 15_000 })
    .stimulate(() => undefined)
    .andWaitForStateChange(
      async () => (await mod.request<Redemption>('GET', `/v1/giftcards/redemptions/${id}`, { token })).body,
      (redemption) => redemption.state !== 'pending',
      { description: `redemption ${id} to leave pending` },
    );

const rowOf = (id: string) => giftcard.prisma.redemption.findUniqueOrThrow({ where: { id } });

describe('an issuer or a price feed that is down', () => {
  it('leaves the redemption pending with its PIN sealed, and the retry job completes it once the issuer is back', async () => {
    const { token } = giftcard.newUser();
    const pin = freshPin();
    issuer.controls.down = true;
    let pending;
    try {
      pending = await redeem(token, pin);
      expect(pending.status).toBe(202);
      expect(pending.body).toMatchObject({ state: 'pending', faceValueKrw: null, amountSats: null });
      const row = await rowOf(pending.body.id);
      expect(row.lastError).toMatch(/IssuerUnavailableError/);
      // Never in clear: neither the hash nor the sealed copy contains the PIN.
      const digits = pin.replaceAll('-', '');
      expect(row.pinHash).not.toContain(digits);
      expect(row.pinCiphertext).not.toBeNull();
      expect(Buffer.from(row.pinCiphertext ?? []).includes(Buffer.from(digits))).toBe(false);
      // A retry run while the issuer is still down changes nothing.
      await mod
        .scenario({ timeoutMs: 15_000 })
        .stimulate(() => undefined)
        .andWaitForStateChange(() => rowOf(row.id), (retried) => retried.attempts > 1, { description: 'a retry' });
      expect((await rowOf(row.id)).state).toBe('pending');
    } finally {
      issuer.controls.down = false;
    }

    const done = await settled(token, pending.body.id);
    expect(done).toMatchObject({ state: 'verified', faceValueKrw: '10000', amountSats: '6571' });
    const row = await rowOf(pending.body.id);
    expect(row.pinCiphertext).toBeNull();
    expect(row.nextAttemptAt).toBeNull();
    expect(issuer.controls.sandbox.usedByReference(pin)).toBe(pending.body.id);
    expect(await giftcard.published(redemptionApprovedV1, pending.body.id)).toHaveLength(1);
  });

  it('credits once a card the issuer used up while we never heard back, through its idempotent redeem', async () => {
    const { token } = giftcard.newUser();
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
    expect(await giftcard.published(redemptionApprovedV1, pending.body.id)).toHaveLength(1);
  });

  it('keeps a card unused while there is no price, then completes it', async () => {
    const { token } = giftcard.newUser();
    const pin = freshPin();
    giftcard.prices.available = false;
    let pending;
    try {
      pending = await redeem(token, pin);
      expect(pending.body.state).toBe('pending');
      expect(issuer.controls.sandbox.usedByReference(pin)).toBeUndefined();
      expect((await rowOf(pending.body.id)).lastError).toMatch(/PriceUnavailableError/);
    } finally {
      giftcard.prices.available = true;
    }
    expect(await settled(token, pending.body.id)).toMatchObject({ state: 'verified', amountSats: '6571' });
    expect(await giftcard.published(redemptionApprovedV1, pending.body.id)).toHaveLength(1);
  });
});
