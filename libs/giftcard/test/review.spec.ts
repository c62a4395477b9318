import { randomUUID } from 'node:crypto';
import { OwnRequestReviewError, redemptionApprovedV1, redemptionRejectedV1, UserNotActiveError } from '@bitro/service-api';
import type { ModuleTest } from '@bitro/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_PINS, sandboxValidPin } from '../src/features/redemptions/issuer/sandbox-issuer.adapter';
import { RedemptionRetry } from '../src/features/redemptions/redemption-retry';
import { RedemptionReview } from '../src/features/review/redemption-review';
import { RedemptionNotFlaggedError, RedemptionNotFoundError } from '../src/features/review/redemption-review.errors';
import { type GiftcardModuleTest, startGiftcardModule } from './giftcard-module-test';

interface RedemptionView {
  id: string;
  state: string;
  faceValueKrw: string | null;
  feeKrw: string | null;
  priceKrwPerBtc: string | null;
  amountSats: string | null;
  rejectionReason: string | null;
}

let giftcard: GiftcardModuleTest;
let mod: ModuleTest;
let review: RedemptionReview;
let pins = 0;
const freshPin = () => sandboxValidPin(800_000 + pins++);
const adminId = randomUUID();

beforeAll(async () => {
  // Every sandbox card is worth 10,000 KRW: a user's third card of a day goes over 20,000 KRW.
  giftcard = await startGiftcardModule({ env: { REDEMPTION_REVIEW_DAILY_KRW: '20000' } });
  mod = giftcard.mod;
  review = mod.get(RedemptionReview);
});
afterAll(() => giftcard?.close());
beforeEach(() => giftcard.audit.reset());

const redeem = (token: string, brand: string, pin = freshPin()) => giftcard.redeem<RedemptionView>(token, { brand, pin });

/** A user's two cards within the review amount, then a third over it, of other brands: all brands count. */
async function flagged(): Promise<{ userId: string; token: string; redemption: RedemptionView; pin: string }> {
  const { userId, token } = giftcard.newUser();
  expect((await redeem(token, 'cultureland')).body.state).toBe('verified');
  expect((await redeem(token, 'happymoney')).body.state).toBe('verified');
  const pin = freshPin();
  const answer = await redeem(token, 'booknlife', pin);
  expect(answer.status).toBe(202);
  return { userId, token, redemption: answer.body, pin };
}

const stateOf = async (id: string) => (await giftcard.prisma.redemption.findUniqueOrThrow({ where: { id } })).state;

describe('redemptions over the daily review amount', () => {
  it('are flagged with their quote stored, shown to the user as in-review, and emit nothing', async () => {
    const { token, redemption } = await flagged();
    // 10,000 KRW at booknlife's 9 %: fee 900; 9,100 × 10^8 / 140,000,000 = 6,500 sats.
    expect(redemption).toMatchObject({ state: 'in-review', faceValueKrw: '10000', feeKrw: '900', priceKrwPerBtc: '140000000', amountSats: '6500', rejectionReason: null });
    expect((await mod.request<RedemptionView>('GET', `/v1/giftcards/redemptions/${redemption.id}`, { token })).body.state).toBe('in-review');
    const row = await giftcard.prisma.redemption.findUniqueOrThrow({ where: { id: redemption.id } });
    expect(row).toMatchObject({ state: 'flagged', pinCiphertext: null, nextAttemptAt: null });
    expect(await giftcard.published(redemptionApprovedV1, redemption.id)).toHaveLength(0);
    expect(await giftcard.published(redemptionRejectedV1, redemption.id)).toHaveLength(0);

    // A flagged card counts towards the day: the next one is held too.
    const next = await redeem(token, 'cultureland');
    expect(next.body.state).toBe('in-review');
    const listed = (await review.listFlagged({ limit: 100 })).items.map((item) => item.id);
    expect(listed.indexOf(next.body.id)).toBeLessThan(listed.indexOf(redemption.id));
  });

  it('counts the day\'s flagged cards, not only its verified and credited ones', async () => {
    const { token } = giftcard.newUser();
    const earlier = [(await redeem(token, 'cultureland')).body.id, (await redeem(token, 'happymoney')).body.id];
    // Both held for review instead (as under a lower review amount): without them the day holds nothing.
    await giftcard.prisma.redemption.updateMany({ where: { id: { in: earlier } }, data: { state: 'flagged' } });
    expect((await redeem(token, 'booknlife')).body.state).toBe('in-review');
  });

  it('holds every concurrent card of one user past the review amount: the day is decided one card at a time', async () => {
    const { token } = giftcard.newUser();
    const brands = ['cultureland', 'happymoney', 'booknlife', 'cultureland', 'happymoney', 'booknlife'];
    const states = (await Promise.all(brands.map((brand) => redeem(token, brand)))).map((answer) => answer.body.state);
    expect(states.filter((state) => state === 'verified')).toHaveLength(2);
    expect(states.filter((state) => state === 'in-review')).toHaveLength(4);
  });

  it('lists flagged redemptions newest first, page by page', async () => {
    const ids = [(await flagged()).redemption.id, (await flagged()).redemption.id, (await flagged()).redemption.id];
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await review.listFlagged({ limit: 2, cursor });
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen.filter((id) => ids.includes(id))).toEqual([...ids].reverse());
    const [item] = (await review.listFlagged({ limit: 1 })).items;
    expect(item).toEqual({ id: ids[2], userId: expect.any(String), brand: 'booknlife', faceValueKrw: '10000', feeKrw: '900', priceKrwPerBtc: '140000000', amountSats: '6500', createdAt: expect.any(String) });
  });

  it('approval verifies it and emits the approved event with the stored quote, audited in the same transaction', async () => {
    const { userId, token, redemption } = await flagged();
    // No price is needed now: the stored quote is what is credited.
    giftcard.prices.available = false;
    let seenInTx: unknown;
    giftcard.audit.inspect = async (tx) => {
      seenInTx = await tx?.$queryRawUnsafe(
        `SELECT r.state::text AS state, count(o.id)::int AS events FROM "giftcard"."redemptions" r
         LEFT JOIN "messaging"."outbox" o ON o.payload->>'redemptionId' = r.id::text AND o.name = $2
         WHERE r.id = $1::uuid GROUP BY r.state`,
        redemption.id,
        redemptionApprovedV1.name,
      );
      expect(await giftcard.published(redemptionApprovedV1, redemption.id)).toHaveLength(0);
    };
    try {
      expect(await review.approve({ redemptionId: redemption.id, actorId: adminId })).toEqual({ id: redemption.id, userId, state: 'verified' });
    } finally {
      giftcard.prices.available = true;
    }
    expect(seenInTx).toEqual([{ state: 'verified', events: 1 }]);
    expect(giftcard.audit.records).toEqual([
      {
        tx: expect.anything(),
        input: { action: 'redemption.approve', actorId: adminId, subject: `redemption:${redemption.id}`, details: { userId, faceValueKrw: '10000', amountSats: '6500' } },
      },
    ]);
    expect(await giftcard.published(redemptionApprovedV1, redemption.id)).toEqual([
      { redemptionId: redemption.id, userId, brand: 'booknlife', faceValueKrw: '10000', feeKrw: '900', priceKrwPerBtc: '140000000', amountSats: '6500' },
    ]);
    expect((await mod.request<RedemptionView>('GET', `/v1/giftcards/redemptions/${redemption.id}`, { token })).body.state).toBe('verified');
    expect((await review.listFlagged({ limit: 100 })).items.map((item) => item.id)).not.toContain(redemption.id);

    // A second decision finds it no longer flagged, and changes nothing.
    for (const again of [() => review.approve({ redemptionId: redemption.id, actorId: adminId }), () => review.reject({ redemptionId: redemption.id, actorId: adminId, reason: 'late' })]) {
      await expect(again()).rejects.toEqual(new RedemptionNotFlaggedError(redemption.id, 'verified'));
    }
    expect(await giftcard.published(redemptionApprovedV1, redemption.id)).toHaveLength(1);
    expect(giftcard.audit.records).toHaveLength(1);
  });

  it('rejection makes it rejected-in-review and tells the user; the used card stays taken', async () => {
    const { userId, token, redemption, pin } = await flagged();
    expect(await review.reject({ redemptionId: redemption.id, actorId: adminId, reason: ' card reported stolen ' })).toEqual({ id: redemption.id, userId, state: 'rejected' });
    expect((await mod.request<RedemptionView>('GET', `/v1/giftcards/redemptions/${redemption.id}`, { token })).body).toMatchObject({
      state: 'rejected',
      rejectionReason: 'rejected-in-review',
      amountSats: '6500',
    });
    expect(await giftcard.published(redemptionRejectedV1, redemption.id)).toEqual([{ redemptionId: redemption.id, userId, reason: 'rejected-in-review' }]);
    expect(await giftcard.published(redemptionApprovedV1, redemption.id)).toHaveLength(0);
    expect(giftcard.audit.actions).toEqual([
      { action: 'redemption.reject', actorId: adminId, subject: `redemption:${redemption.id}`, details: { userId, faceValueKrw: '10000', reason: 'card reported stolen' } },
    ]);
    expect((await redeem(token, 'booknlife', pin)).body).toMatchObject({ type: 'https://bitro.dev/problems/pin-already-redeemed' });
    await expect(review.reject({ redemptionId: redemption.id, actorId: adminId, reason: 'again' })).rejects.toBeInstanceOf(RedemptionNotFlaggedError);
  });

  it("refuses an admin's approval of their own redemption (four eyes); another admin may approve it", async () => {
    const { userId, redemption } = await flagged();
    await expect(review.approve({ redemptionId: redemption.id, actorId: userId })).rejects.toBeInstanceOf(OwnRequestReviewError);
    expect(await stateOf(redemption.id)).toBe('flagged');
    expect(await giftcard.published(redemptionApprovedV1, redemption.id)).toHaveLength(0);
    expect((await review.approve({ redemptionId: redemption.id, actorId: adminId })).state).toBe('verified');
  });

  it("refuses to approve a frozen user's redemption, which may still be rejected", async () => {
    const { userId, redemption } = await flagged();
    giftcard.users.frozen.add(userId);
    try {
      await expect(review.approve({ redemptionId: redemption.id, actorId: adminId })).rejects.toBeInstanceOf(UserNotActiveError);
      expect(await stateOf(redemption.id)).toBe('flagged');
      expect(await giftcard.published(redemptionApprovedV1, redemption.id)).toHaveLength(0);
      expect(giftcard.audit.records).toEqual([]);
      expect((await review.reject({ redemptionId: redemption.id, actorId: adminId, reason: 'frozen account' })).state).toBe('rejected');
    } finally {
      giftcard.users.frozen.delete(userId);
    }
  });

  it('rolls a decision back when its audit record cannot be written', async () => {
    const { redemption } = await flagged();
    giftcard.audit.inspect = async () => {
      throw new Error('audit trail down');
    };
    await expect(review.approve({ redemptionId: redemption.id, actorId: adminId })).rejects.toThrow('audit trail down');
    await expect(review.reject({ redemptionId: redemption.id, actorId: adminId, reason: 'x' })).rejects.toThrow('audit trail down');
    expect(await stateOf(redemption.id)).toBe('flagged');
    expect(await giftcard.published(redemptionApprovedV1, redemption.id)).toHaveLength(0);
    expect(await giftcard.published(redemptionRejectedV1, redemption.id)).toHaveLength(0);
  });

  it('answers unknown and never-flagged redemptions with typed errors', async () => {
    const unknown = randomUUID();
    await expect(review.approve({ redemptionId: unknown, actorId: adminId })).rejects.toEqual(new RedemptionNotFoundError(unknown));
    const { token } = giftcard.newUser();
    const verified = await redeem(token, 'cultureland');
    await expect(review.approve({ redemptionId: verified.body.id, actorId: adminId })).rejects.toEqual(new RedemptionNotFlaggedError(verified.body.id, 'verified'));
    await expect(review.reject({ redemptionId: verified.body.id, actorId: adminId, reason: '' })).rejects.toThrow();
  });

  it('are never touched by the retry job, even when one looks due', async () => {
    const { redemption } = await flagged();
    await giftcard.prisma.redemption.update({ where: { id: redemption.id }, data: { nextAttemptAt: new Date(Date.now() - 60_000) } });
    const before = await giftcard.prisma.redemption.findUniqueOrThrow({ where: { id: redemption.id } });
    // A pending redemption the issuer cannot answer: the run has something to do.
    const stuck = await redeem(giftcard.newUser().token, 'cultureland', SANDBOX_PINS.issuerDown);
    expect(stuck.body.state).toBe('pending');
    await giftcard.prisma.redemption.update({ where: { id: stuck.body.id }, data: { nextAttemptAt: new Date(Date.now() - 1000) } });

    expect(await mod.get(RedemptionRetry).run()).toBeGreaterThanOrEqual(1);
    expect((await giftcard.prisma.redemption.findUniqueOrThrow({ where: { id: stuck.body.id } })).attempts).toBeGreaterThan(1);
    expect(await giftcard.prisma.redemption.findUniqueOrThrow({ where: { id: redemption.id } })).toEqual(before);
  });
});
