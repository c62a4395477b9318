import { redemptionApprovedV1, redemptionRejectedV1, walletCreditedV1 } from '@bitro/service-api';
import type { SqlExecutor } from '@bitro/messaging';
import type { ModuleTest } from '@bitro/testing';
import { randomUUID } from 'node:crypto';
import { Catalogue } from '../src/features/catalogue/catalogue';
import { GiftcardPrisma, Prisma } from '../src/persistence/giftcard-prisma';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ISSUER } from '../src/features/redemptions/issuer/issuer.port';
import { SANDBOX_PINS, SandboxIssuer, sandboxValidPin } from '../src/features/redemptions/issuer/sandbox-issuer.adapter';
import { PinVault } from '../src/features/redemptions/pin-vault';
import { IdempotencyKeys } from '../src/persistence/idempotency-keys';
import { GiftcardConsumer } from '../src/events/giftcard.consumer';
import { RedemptionCrediting } from '../src/features/redemptions/redemption-crediting';
import { type GiftcardModuleTest, startGiftcardModule } from './giftcard-module-test';

interface Redemption {
  id: string;
  brand: string;
  state: string;
  faceValueKrw: string | null;
  feeKrw: string | null;
  priceKrwPerBtc: string | null;
  amountSats: string | null;
  quoteExpiresAt: string | null;
  rejectionReason: string | null;
  createdAt: string;
  updatedAt: string;
}

let giftcard: GiftcardModuleTest;
let mod: ModuleTest;
let pins = 0;
/** A PIN the sandbox takes for 10,000 KRW, never handed out before in this file. */
const freshPin = () => sandboxValidPin(700_000 + pins++);

beforeAll(async () => {
  // 140,000,000 KRW per BTC (the default fixed price).
  giftcard = await startGiftcardModule();
  mod = giftcard.mod;
});
afterAll(() => giftcard?.close());

const redeem = (token: string, body: unknown, key?: string | null) => giftcard.redeem<Redemption & Record<string, unknown>>(token, body, key);

describe('GET /v1/giftcards/brands', () => {
  it('lists the seeded catalogue publicly, amounts as strings', async () => {
    const { status, body } = await mod.request<{ items: Array<Record<string, unknown>> }>('GET', '/v1/giftcards/brands');
    expect(status).toBe(200);
    expect(body.items.map((brand) => brand['code'])).toEqual(['booknlife', 'cultureland', 'happymoney']);
    expect(body.items.find((brand) => brand['code'] === 'cultureland')).toEqual({
      code: 'cultureland',
      name: '문화상품권',
      pinFormat: '4-4-4-6 or 4-4-4-4 digits',
      faceValuesKrw: ['1000', '5000', '10000', '30000', '50000'],
      feeBps: 800,
      dailyLimitKrw: '500000',
    });
  });
});

describe('Catalogue', () => {
  it('finds brands asked for at once each by its own code, active ones only (they share one statement)', async () => {
    await mod.get(GiftcardPrisma).brand.create({
      data: { code: 'retired', name: 'Retired', pinPattern: '^[0-9]{16}$', pinFormat: '16 digits', faceValuesKrw: [10_000n], feeBps: 500, dailyLimitKrw: 100_000n, active: false },
    });
    const codes = ['cultureland', 'happymoney', 'retired', 'no-such-brand', 'CULTURELAND', 'cultureland', 'cultureland\u0000'];
    const query = vi.spyOn(mod.get(GiftcardPrisma).pool, 'query');
    const found = await Promise.all(codes.map((code) => mod.get(Catalogue).find(code)));
    const statements = query.mock.calls.filter(([config]) => (config as { name?: string }).name === 'giftcard.brands-find-active');
    query.mockRestore();
    expect(statements).toHaveLength(1);
    expect(found.map((brand) => brand?.code ?? null)).toEqual(['cultureland', 'happymoney', null, null, null, 'cultureland', null]);
    expect(found[0]).toMatchObject({ name: '문화상품권', feeBps: 800, dailyLimitKrw: 500_000n, faceValuesKrw: [1_000n, 5_000n, 10_000n, 30_000n, 50_000n], active: true });
  });
});

describe('POST /v1/giftcards/redemptions', () => {
  it('verifies, quotes and approves a card, emitting one approved event in the same transaction', async () => {
    const { userId, token } = giftcard.newUser();
    const answer = await redeem(token, { brand: 'cultureland', pin: ` ${SANDBOX_PINS.valid50k} ` });
    expect(answer.status).toBe(202);
    // 50,000 KRW at 8 %: fee 4,000; 46,000 × 10^8 / 140,000,000 = 32,857.14 → 32,857 sats.
    expect(answer.body).toMatchObject({ brand: 'cultureland', state: 'verified', faceValueKrw: '50000', feeKrw: '4000', priceKrwPerBtc: '140000000', amountSats: '32857', rejectionReason: null });
    const expiresIn = Date.parse(answer.body.quoteExpiresAt ?? '') - Date.parse(answer.body.updatedAt);
    expect(expiresIn).toBeGreaterThan(0);
    expect(expiresIn).toBeLessThanOrEqual(mod.env.QUOTE_TTL_SECONDS * 1000);

    expect(await giftcard.published(redemptionApprovedV1, answer.body.id)).toEqual([
      { redemptionId: answer.body.id, userId, brand: 'cultureland', faceValueKrw: '50000', feeKrw: '4000', priceKrwPerBtc: '140000000', amountSats: '32857' },
    ]);
    const row = await giftcard.prisma.redemption.findUniqueOrThrow({ where: { id: answer.body.id } });
    expect(row.pinCiphertext).toBeNull();
    expect(row.pinHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('checks the PIN against the brand: 400 naming /pin, and /brand for an unknown brand', async () => {
    const { token } = giftcard.newUser();
    const cases: Array<[string, string, boolean]> = [
      ['cultureland', '1234-5678-9012-345678', true],
      ['cultureland', '1234 5678 9012 3456', true],
      ['cultureland', '1234-5678-9012-34567', false],
      ['happymoney', '1234-5678-9012-345678', false],
      ['booknlife', '1234-5678-9012-345a', false],
    ];
    for (const [brand, pin, valid] of cases) {
      const answer = await redeem(token, { brand, pin });
      if (valid) {
        expect(answer.status, `${brand} ${pin}`).toBe(202);
      } else {
        expect(answer.status, `${brand} ${pin}`).toBe(400);
        expect(answer.body['errors']).toEqual([{ in: 'body', pointer: '/pin', message: expect.stringMatching(/^must be 4-4-4/) }]);
      }
    }
    const unknown = await redeem(token, { brand: 'giftishow', pin: '1234-5678-9012-3456' });
    expect(unknown.status).toBe(400);
    expect(unknown.body['errors']).toEqual([{ in: 'body', pointer: '/brand', message: expect.any(String) }]);
  });

  it('requires a well-formed Idempotency-Key', async () => {
    const { token } = giftcard.newUser();
    for (const key of [null, '', 'with space', 'x'.repeat(256), 'caf\u00e9']) {
      const answer = await redeem(token, { brand: 'cultureland', pin: freshPin() }, key);
      expect(answer.status, String(key)).toBe(400);
      expect(answer.body['errors']).toEqual([{ in: 'header', pointer: '/Idempotency-Key', message: expect.any(String) }]);
    }
    expect((await redeem(token, { brand: 'cultureland', pin: freshPin() }, 'k'.repeat(255))).status).toBe(202);
  });

  it("stores an approved redemption's answer in the transaction that approves it, not in a statement of its own", async () => {
    const { userId, token } = giftcard.newUser();
    const completes = vi.spyOn(IdempotencyKeys.prototype, 'complete');
    const pin = freshPin();
    const first = await redeem(token, { brand: 'happymoney', pin }, 'approved-key');
    const completed = completes.mock.calls.length;
    completes.mockRestore();
    expect(first.body).toMatchObject({ state: 'verified' });
    expect(completed).toBe(0);
    const key = await giftcard.prisma.idempotencyKey.findUniqueOrThrow({ where: { userId_key: { userId, key: 'approved-key' } } });
    expect(key.responseBody).toEqual({ status: 202, body: first.body });
    const again = await redeem(token, { brand: 'happymoney', pin }, 'approved-key');
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
  });

  it('answers a retry with the same key and body with the first answer; another body under the key is 422', async () => {
    const { userId, token } = giftcard.newUser();
    const pin = freshPin();
    const first = await redeem(token, { brand: 'happymoney', pin }, 'retry-key-1');
    expect(first.status).toBe(202);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    // The same card written differently is the same request.
    const again = await redeem(token, { brand: 'happymoney', pin: pin.replaceAll('-', ' ') }, 'retry-key-1');
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await giftcard.prisma.redemption.count({ where: { userId } })).toBe(1);

    const other = await redeem(token, { brand: 'happymoney', pin: freshPin() }, 'retry-key-1');
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ type: 'https://bitro.dev/problems/idempotency-key-reused' });
    // Keys are per user: another user's key of the same name is another request.
    expect((await redeem(giftcard.newUser().token, { brand: 'happymoney', pin: freshPin() }, 'retry-key-1')).status).toBe(202);
    expect(await giftcard.published(redemptionApprovedV1, first.body.id)).toHaveLength(1);
  });

  it('refuses a key whose first request is still running, and answers from its redemption once that request is given up', async () => {
    const { userId, token } = giftcard.newUser();
    const pin = freshPin();
    const first = await redeem(token, { brand: 'cultureland', pin }, 'crashed-key');
    // As if the process had died after creating the redemption, before storing the answer.
    await giftcard.prisma.idempotencyKey.update({ where: { userId_key: { userId, key: 'crashed-key' } }, data: { responseStatus: null, responseBody: Prisma.DbNull, completedAt: null } });
    const running = await redeem(token, { brand: 'cultureland', pin }, 'crashed-key');
    expect(running.status).toBe(409);
    expect(running.body).toMatchObject({ type: 'https://bitro.dev/problems/idempotency-key-in-use' });
    expect(running.headers.get('retry-after')).toBe('1');

    await giftcard.prisma.idempotencyKey.update({ where: { userId_key: { userId, key: 'crashed-key' } }, data: { claimedAt: new Date(Date.now() - 3_600_000) } });
    const recovered = await redeem(token, { brand: 'cultureland', pin }, 'crashed-key');
    expect(recovered.status).toBe(202);
    expect(recovered.body).toEqual(first.body);
    expect(await giftcard.prisma.redemption.count({ where: { userId } })).toBe(1);
    // ...and that answer is now the stored one.
    expect((await redeem(token, { brand: 'cultureland', pin }, 'crashed-key')).headers.get('idempotent-replayed')).toBe('true');
  });

  it('stores problem answers too: a retry gets the first 403 even once the account is thawed', async () => {
    const { userId, token } = giftcard.newUser();
    giftcard.users.frozen.add(userId);
    const pin = freshPin();
    const frozen = await redeem(token, { brand: 'cultureland', pin }, 'frozen-key');
    expect(frozen.status).toBe(403);
    expect(frozen.body).toMatchObject({ type: 'https://bitro.dev/problems/account-not-active' });
    giftcard.users.frozen.delete(userId);
    const replay = await redeem(token, { brand: 'cultureland', pin }, 'frozen-key');
    expect(replay.status).toBe(403);
    expect({ ...replay.body, requestId: undefined }).toEqual({ ...frozen.body, requestId: undefined });
    expect((await redeem(token, { brand: 'cultureland', pin }, 'new-key')).status).toBe(202);
  });

  it('stores no 429: a retry under the key once the limit allows is run again (the rule of @bitro/idempotency)', async () => {
    await giftcard.prisma.brand.update({ where: { code: 'happymoney' }, data: { dailyLimitKrw: 0n } });
    const { token } = giftcard.newUser();
    const pin = freshPin();
    try {
      const limited = await redeem(token, { brand: 'happymoney', pin }, 'limited-key');
      expect(limited.status).toBe(429);
      expect(limited.body).toMatchObject({ type: 'https://bitro.dev/problems/daily-limit-reached' });
    } finally {
      await giftcard.prisma.brand.update({ where: { code: 'happymoney' }, data: { dailyLimitKrw: 500_000n } });
    }
    const retried = await redeem(token, { brand: 'happymoney', pin }, 'limited-key');
    expect(retried.status).toBe(202);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    expect(retried.body).toMatchObject({ state: 'verified' });
  });

  it('answers a retry of a key stored with the fingerprint from before @bitro/idempotency', async () => {
    const { userId, token } = giftcard.newUser();
    const pin = freshPin();
    const first = await redeem(token, { brand: 'cultureland', pin }, 'older-key');
    const former = mod.get(PinVault).formerRequestFingerprint('cultureland', pin.replaceAll('-', ''));
    await giftcard.prisma.idempotencyKey.update({ where: { userId_key: { userId, key: 'older-key' } }, data: { requestHash: former } });
    const again = await redeem(token, { brand: 'cultureland', pin }, 'older-key');
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect((await redeem(token, { brand: 'cultureland', pin: freshPin() }, 'older-key')).status).toBe(422);
  });

  it('runs concurrent requests with one key once', async () => {
    const { userId, token } = giftcard.newUser();
    const pin = freshPin();
    const answers = await Promise.all(Array.from({ length: 6 }, () => redeem(token, { brand: 'cultureland', pin }, 'racing-key')));
    const accepted = answers.filter((answer) => answer.status === 202);
    expect(accepted.length).toBeGreaterThan(0);
    for (const answer of answers) expect([202, 409]).toContain(answer.status);
    for (const answer of accepted) expect(answer.body.id).toBe(accepted[0]?.body.id);
    expect(await giftcard.prisma.redemption.count({ where: { userId } })).toBe(1);
  });

  it('refuses a PIN already redeemed, by anyone, with 409 — also when raced', async () => {
    const pin = freshPin();
    const first = await redeem(giftcard.newUser().token, { brand: 'booknlife', pin });
    expect(first.status).toBe(202);
    const reused = await redeem(giftcard.newUser().token, { brand: 'booknlife', pin: pin.replaceAll('-', '') });
    expect(reused.status).toBe(409);
    expect(reused.body).toMatchObject({ type: 'https://bitro.dev/problems/pin-already-redeemed' });

    const raced = freshPin();
    const answers = await Promise.all(Array.from({ length: 5 }, () => redeem(giftcard.newUser().token, { brand: 'booknlife', pin: raced })));
    expect(answers.map((answer) => answer.status).sort()).toEqual([202, 409, 409, 409, 409]);
  });

  it('rejects what the issuer refuses, and lets a rejected PIN be tried again', async () => {
    const { token } = giftcard.newUser();
    const invalid = await redeem(token, { brand: 'cultureland', pin: SANDBOX_PINS.invalid });
    expect(invalid.status).toBe(202);
    expect(invalid.body).toMatchObject({ state: 'rejected', rejectionReason: 'pin-invalid', amountSats: null });
    expect(await giftcard.published(redemptionRejectedV1, invalid.body.id)).toHaveLength(1);
    expect(await giftcard.published(redemptionApprovedV1, invalid.body.id)).toHaveLength(0);
    // Not a 409: the rejected redemption released the PIN.
    expect((await redeem(token, { brand: 'cultureland', pin: SANDBOX_PINS.invalid })).body).toMatchObject({ state: 'rejected' });

    const used = await redeem(token, { brand: 'cultureland', pin: SANDBOX_PINS.alreadyUsed });
    expect(used.body).toMatchObject({ state: 'rejected', rejectionReason: 'pin-already-used' });
  });

  it('refuses, before using the card up, a face value the brand does not take and a card worth nothing after the fee', async () => {
    const sandbox = mod.get<SandboxIssuer>(ISSUER);
    const { token } = giftcard.newUser();
    await giftcard.prisma.brand.update({ where: { code: 'booknlife' }, data: { faceValuesKrw: [5_000n, 50_000n] } });
    try {
      const pin = freshPin();
      expect((await redeem(token, { brand: 'booknlife', pin })).body).toMatchObject({ state: 'rejected', rejectionReason: 'face-value-not-accepted' });
      expect(sandbox.usedByReference(pin)).toBeUndefined();
    } finally {
      await giftcard.prisma.brand.update({ where: { code: 'booknlife' }, data: { faceValuesKrw: [5_000n, 10_000n, 50_000n] } });
    }
    await giftcard.prisma.brand.update({ where: { code: 'booknlife' }, data: { feeBps: 10_000 } });
    try {
      const pin = freshPin();
      const answer = await redeem(token, { brand: 'booknlife', pin });
      expect(answer.body).toMatchObject({ state: 'rejected', rejectionReason: 'amount-too-small' });
      expect(sandbox.usedByReference(pin)).toBeUndefined();
      expect(await giftcard.published(redemptionRejectedV1, answer.body.id)).toHaveLength(1);
    } finally {
      await giftcard.prisma.brand.update({ where: { code: 'booknlife' }, data: { feeBps: 900 } });
    }
  });

  it('enforces the daily limit per user and brand: 422 for a card that does not fit, 429 when it is used up', async () => {
    await giftcard.prisma.brand.update({ where: { code: 'happymoney' }, data: { dailyLimitKrw: 25_000n } });
    try {
      const { token } = giftcard.newUser();
      for (let i = 0; i < 2; i++) expect((await redeem(token, { brand: 'happymoney', pin: freshPin() })).body).toMatchObject({ state: 'verified' });
      // 20,000 used; 5,000 left: a 10,000 card does not fit, and is not used up at the issuer.
      const tooBig = freshPin();
      const over = await redeem(token, { brand: 'happymoney', pin: tooBig });
      expect(over.status).toBe(422);
      expect(over.body).toMatchObject({ type: 'https://bitro.dev/problems/daily-limit-exceeded' });
      expect(over.body['detail']).toContain('5,000 KRW of 25,000 KRW remain today');
      // Another brand and another user have limits of their own.
      expect((await redeem(token, { brand: 'cultureland', pin: freshPin() })).body).toMatchObject({ state: 'verified' });
      const other = giftcard.newUser();
      expect((await redeem(other.token, { brand: 'happymoney', pin: freshPin() })).body).toMatchObject({ state: 'verified' });

      // The card refused for the limit was rejected, so it can be redeemed once the limit allows.
      await giftcard.prisma.brand.update({ where: { code: 'happymoney' }, data: { dailyLimitKrw: 30_000n } });
      expect((await redeem(token, { brand: 'happymoney', pin: tooBig })).body).toMatchObject({ state: 'verified', faceValueKrw: '10000' });
      // 30,000 used: even the smallest face value (1,000) no longer fits.
      const full = await redeem(token, { brand: 'happymoney', pin: freshPin() });
      expect(full.status).toBe(429);
      expect(full.body).toMatchObject({ type: 'https://bitro.dev/problems/daily-limit-reached' });
      expect(full.body['detail']).toContain('30,000 KRW of 30,000 KRW redeemed today');
      expect(Number(full.headers.get('retry-after'))).toBeGreaterThan(0);
      // A PIN already redeemed is told as such, whatever the limit.
      expect((await redeem(token, { brand: 'happymoney', pin: tooBig })).body).toMatchObject({ type: 'https://bitro.dev/problems/pin-already-redeemed' });
    } finally {
      await giftcard.prisma.brand.update({ where: { code: 'happymoney' }, data: { dailyLimitKrw: 500_000n } });
    }
  });

  it('keeps concurrent redemptions of one user within the limit', async () => {
    await giftcard.prisma.brand.update({ where: { code: 'booknlife' }, data: { dailyLimitKrw: 30_000n } });
    try {
      const { userId, token } = giftcard.newUser();
      const answers = await Promise.all(Array.from({ length: 6 }, () => redeem(token, { brand: 'booknlife', pin: freshPin() })));
      expect(answers.filter((answer) => answer.status === 202 && answer.body.state === 'verified')).toHaveLength(3);
      const { _sum } = await giftcard.prisma.redemption.aggregate({ _sum: { faceValueKrw: true }, where: { userId, state: 'verified' } });
      expect(_sum.faceValueKrw).toBe(30_000n);
    } finally {
      await giftcard.prisma.brand.update({ where: { code: 'booknlife' }, data: { dailyLimitKrw: 300_000n } });
    }
  });

  it('needs a signed-in user', async () => {
    const answer = await mod.request('POST', '/v1/giftcards/redemptions', { body: { brand: 'cultureland', pin: freshPin() }, headers: { 'idempotency-key': 'k' } });
    expect(answer.status).toBe(401);
  });
});

describe('GET /v1/giftcards/redemptions', () => {
  it('shows a redemption to its owner only', async () => {
    const owner = giftcard.newUser();
    const created = await redeem(owner.token, { brand: 'cultureland', pin: freshPin() });
    const mine = await mod.request<Redemption>('GET', `/v1/giftcards/redemptions/${created.body.id}`, { token: owner.token });
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual(created.body);
    const theirs = await mod.request('GET', `/v1/giftcards/redemptions/${created.body.id}`, { token: giftcard.newUser().token });
    expect(theirs.status).toBe(404);
    expect((await mod.request('GET', `/v1/giftcards/redemptions/${randomUUID()}`, { token: owner.token })).status).toBe(404);
  });

  it('lists my redemptions newest first, page by page', async () => {
    const { token } = giftcard.newUser();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await redeem(token, { brand: 'cultureland', pin: freshPin() })).body.id);
    await redeem(giftcard.newUser().token, { brand: 'cultureland', pin: freshPin() });

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const page = await mod.request<{ items: Redemption[]; nextCursor: string | null }>('GET', `/v1/giftcards/redemptions${query}`, { token });
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((item) => item.id));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());

    const bad = await mod.request('GET', '/v1/giftcards/redemptions?cursor=nonsense', { token });
    expect(bad.status).toBe(400);
    expect(bad.body['errors']).toEqual([{ in: 'query', pointer: '/cursor', message: expect.any(String) }]);
  });
});

describe('wallet.credited.v1', () => {
  it('marks the redemption credited, once, whatever arrives again', async () => {
    const { userId, token } = giftcard.newUser();
    const created = await redeem(token, { brand: 'cultureland', pin: freshPin() });
    expect(created.body.state).toBe('verified');
    const credited = (journalId: string) =>
      mod.deliver(walletCreditedV1, { journalId, userId, amountSats: created.body.amountSats ?? '0', reference: `redemption:${created.body.id}`, redemptionId: created.body.id });
    const journalId = randomUUID();

    const after = await mod
      .scenario()
      .stimulate(async () => {
        await credited(journalId);
        // A credit of something else is not ours.
        await mod.deliver(walletCreditedV1, { journalId: randomUUID(), userId, amountSats: '1', reference: 'withdrawal:123' });
      })
      .andWaitForStateChange(
        async () => (await mod.request<Redemption>('GET', `/v1/giftcards/redemptions/${created.body.id}`, { token })).body,
        (redemption) => redemption.state === 'credited',
        { description: 'the redemption to be credited' },
      );
    expect(after).toMatchObject({ state: 'credited', amountSats: created.body.amountSats });
    expect((await giftcard.prisma.redemption.findUniqueOrThrow({ where: { id: created.body.id } })).walletJournalId).toBe(journalId);

    // A second credit event for the same redemption changes nothing (delivered: handled by the time it returns).
    await credited(randomUUID());
    const row = await giftcard.prisma.redemption.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(row).toMatchObject({ state: 'credited', walletJournalId: journalId });
  });

  it('marks the credits of one consumer transaction together, just before it commits', async () => {
    const { userId, token } = giftcard.newUser();
    const redemptions = [(await redeem(token, { brand: 'cultureland', pin: freshPin() })).body, (await redeem(token, { brand: 'cultureland', pin: freshPin() })).body];
    const journals = redemptions.map(() => randomUUID());
    const credit = (redemption: Redemption, journalId: string) =>
      ({ journalId, userId, amountSats: redemption.amountSats ?? '0', reference: `redemption:${redemption.id}`, redemptionId: redemption.id });
    const states = (tx: SqlExecutor) =>
      tx.$queryRawUnsafe<Array<{ state: string }>>('SELECT state FROM "giftcard"."redemptions" WHERE id = ANY($1::uuid[])', redemptions.map((r) => r.id)).then((rows) => rows.map((row) => row.state));
    const crediting = mod.get(RedemptionCrediting);
    const statesBeforeCommit = await mod.get(GiftcardConsumer).transaction(async (tx) => {
      await crediting.credit(tx, credit(redemptions[0] as Redemption, journals[0] as string));
      await crediting.credit(tx, credit(redemptions[1] as Redemption, journals[1] as string));
      return states(tx);
    });
    expect(statesBeforeCommit).toEqual(['verified', 'verified']);
    const rows = await giftcard.prisma.redemption.findMany({ where: { id: { in: redemptions.map((r) => r.id) } }, orderBy: { createdAt: 'asc' } });
    expect(rows.map((row) => [row.id, row.state, row.walletJournalId])).toEqual(redemptions.map((r, i) => [r.id, 'credited', journals[i]]));
  });
});
