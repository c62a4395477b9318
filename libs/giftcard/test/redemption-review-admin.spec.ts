import { randomUUID } from 'node:crypto';
import { OwnRequestReviewError, UserNotActiveError } from '@bitro/service-api';
import type { ModuleTest } from '@bitro/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RedemptionReview } from '../src/features/review/redemption-review';
import type {
  ApproveRedemptionInput,
  FlaggedRedemptionView,
  ListFlaggedInput,
  RejectRedemptionInput,
  ReviewedRedemption,
} from '../src/features/review/review.contracts';
import { RedemptionNotFlaggedError, RedemptionNotFoundError } from '../src/features/review/redemption-review.errors';
import { expectProblem, startGiftcardModule } from './giftcard-module-test';

/** RedemptionReview over a set of flagged redemptions, remembering what it was asked. */
class TestReview implements Pick<RedemptionReview, 'listFlagged' | 'approve' | 'reject'> {
  readonly flagged = new Map<string, FlaggedRedemptionView>();
  readonly frozenUsers = new Set<string>();
  readonly calls: Array<ListFlaggedInput | ApproveRedemptionInput | RejectRedemptionInput> = [];

  add(owner: { userId?: string } = {}): FlaggedRedemptionView {
    const redemption = { id: randomUUID(), userId: owner.userId ?? randomUUID(), brand: 'cultureland', faceValueKrw: '50000', feeKrw: '4000', priceKrwPerBtc: '140000000', amountSats: '32857', createdAt: new Date().toISOString() };
    this.flagged.set(redemption.id, redemption);
    return redemption;
  }

  async listFlagged(input: ListFlaggedInput) {
    this.calls.push(input);
    return { items: [...this.flagged.values()], nextCursor: null };
  }

  approve(input: ApproveRedemptionInput) {
    return this.decide(input, 'verified');
  }

  reject(input: RejectRedemptionInput) {
    return this.decide(input, 'rejected');
  }

  private async decide(input: ApproveRedemptionInput, state: ReviewedRedemption['state']): Promise<ReviewedRedemption> {
    this.calls.push(input);
    const redemption = this.flagged.get(input.redemptionId);
    if (!redemption) throw new RedemptionNotFoundError(input.redemptionId);
    if (state === 'verified' && this.frozenUsers.has(redemption.userId)) throw new UserNotActiveError(redemption.userId, 'frozen');
    if (state === 'verified' && redemption.userId === input.actorId) throw new OwnRequestReviewError(`redemption:${redemption.id}`);
    this.flagged.delete(redemption.id);
    return { id: redemption.id, userId: redemption.userId, state };
  }
}

const review = new TestReview();
let mod: ModuleTest;
let admin: { id: string; token: string };

beforeAll(async () => {
  ({ mod } = await startGiftcardModule({ overrides: [{ provide: RedemptionReview, useValue: review }] }));
  const id = randomUUID();
  admin = { id, token: mod.token({ role: 'admin', userId: id }) };
});
afterAll(() => mod?.close());
beforeEach(() => {
  review.calls.length = 0;
});

const call = (method: string, path: string, body?: unknown) => mod.request(method, path, { token: admin.token, body });

describe('GET /v1/admin/redemptions/flagged', () => {
  it('lists flagged redemptions with their quotes', async () => {
    const redemption = review.add();
    const answer = await call('GET', '/v1/admin/redemptions/flagged?limit=10');
    expect(answer.status).toBe(200);
    expect(answer.body['items']).toContainEqual(redemption);
    expect(review.calls).toEqual([{ limit: 10 }]);
  });

  it('refuses a bad limit or cursor with pointers', async () => {
    const answer = await call('GET', '/v1/admin/redemptions/flagged?limit=1000&cursor=nonsense');
    expectProblem(answer, 400, 'validation');
    expect((answer.body['errors'] as Array<{ pointer: string }>).map((error) => error.pointer).sort()).toEqual(['/cursor', '/limit']);
    expect(review.calls).toEqual([]);
  });
});

describe('POST /v1/admin/redemptions/:id/approve and /reject', () => {
  it('approves as the signed-in admin', async () => {
    const redemption = review.add();
    const answer = await call('POST', `/v1/admin/redemptions/${redemption.id}/approve`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ id: redemption.id, userId: redemption.userId, state: 'verified' });
    expect(review.calls).toEqual([{ redemptionId: redemption.id, actorId: admin.id }]);
  });

  it('rejects with a reason, which is required', async () => {
    const redemption = review.add();
    for (const body of [undefined, {}, { reason: '' }, { reason: 'x'.repeat(501) }]) {
      const refused = await call('POST', `/v1/admin/redemptions/${redemption.id}/reject`, body);
      expectProblem(refused, 400, 'validation');
      expect(refused.body['errors'], JSON.stringify(body)).toEqual([expect.objectContaining({ in: 'body' })]);
    }
    const answer = await call('POST', `/v1/admin/redemptions/${redemption.id}/reject`, { reason: ' stolen card ' });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ id: redemption.id, userId: redemption.userId, state: 'rejected' });
    expect(review.calls).toEqual([{ redemptionId: redemption.id, actorId: admin.id, reason: 'stolen card' }]);
  });

  it('answers 404 for an unknown redemption and 400 for a malformed id', async () => {
    expectProblem(await call('POST', `/v1/admin/redemptions/${randomUUID()}/approve`), 404, 'redemption-not-found');
    const malformed = await call('POST', '/v1/admin/redemptions/nope/approve');
    expectProblem(malformed, 400, 'validation');
    expect(malformed.body['errors']).toEqual([{ in: 'path', pointer: '/id', message: expect.any(String) }]);
  });

  it('answers 409 redemption-not-flagged for one that is not (or no longer) flagged', async () => {
    const redemption = review.add();
    expect((await call('POST', `/v1/admin/redemptions/${redemption.id}/approve`)).status).toBe(200);
    review.flagged.set(redemption.id, redemption);
    const notFlagged = new RedemptionNotFlaggedError(redemption.id, 'verified');
    const approve = review.approve.bind(review);
    review.approve = async () => Promise.reject(notFlagged);
    try {
      expectProblem(await call('POST', `/v1/admin/redemptions/${redemption.id}/approve`), 409, 'redemption-not-flagged');
    } finally {
      review.approve = approve;
    }
  });

  it('answers 409 own-request when an admin approves their own redemption', async () => {
    const redemption = review.add({ userId: admin.id });
    expectProblem(await call('POST', `/v1/admin/redemptions/${redemption.id}/approve`), 409, 'own-request');
  });

  it("answers 409 account-not-active when approving a frozen user's redemption", async () => {
    const redemption = review.add();
    review.frozenUsers.add(redemption.userId);
    expectProblem(await call('POST', `/v1/admin/redemptions/${redemption.id}/approve`), 409, 'account-not-active');
    expect((await call('POST', `/v1/admin/redemptions/${redemption.id}/reject`, { reason: 'frozen account' })).status).toBe(200);
  });
});
