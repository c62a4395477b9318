import { randomUUID } from 'node:crypto';
import { OwnRequestReviewError, UserNotActiveError } from '@bitro/service-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WithdrawalFeeBumpRefusedError, WithdrawalNotAwaitingApprovalError, WithdrawalNotFoundError } from '../src/features/withdrawals/withdrawal.errors';
import { WithdrawalFeeBumps } from '../src/features/withdrawals/withdrawal-fee-bumps';
import { WithdrawalReview } from '../src/features/withdrawals/withdrawal-review';
import type { AdminWithdrawal, WithdrawalFeeBump } from '../src/features/withdrawals/withdrawals.contracts';
import { startWalletTest, type WalletTest } from './wallet-test';

interface Problem {
  type: string;
  status: number;
  detail: string;
  errors?: Array<{ in: string; pointer: string; message: string }>;
}

const withdrawal = (id: string, status: AdminWithdrawal['status'] = 'awaiting-approval'): AdminWithdrawal => ({
  id,
  userId: randomUUID(),
  address: 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080',
  amountSats: '7000000',
  maxFeeSats: '2820',
  feeSats: null,
  status,
  txid: null,
  createdAt: new Date().toISOString(),
  reviewedBy: null,
  reviewedAt: null,
  rejectionReason: null,
});

/** The admin routes' use cases (WithdrawalReview, WithdrawalFeeBumps): it records each call and answers (or throws) what the test sets. */
class RecordingWalletAdmin implements Pick<WithdrawalReview, 'listAwaitingApproval' | 'approve' | 'reject'>, Pick<WithdrawalFeeBumps, 'bumpFee'> {
  readonly calls: Array<[string, unknown]> = [];
  failure: Error | null = null;

  async listAwaitingApproval(query: { limit: number; cursor?: string }) {
    this.calls.push(['listAwaitingApproval', query]);
    return { items: [withdrawal(randomUUID())], nextCursor: null };
  }

  async approve(input: { withdrawalId: string; actorId: string }) {
    this.calls.push(['approve', input]);
    if (this.failure) throw this.failure;
    return { ...withdrawal(input.withdrawalId, 'requested'), reviewedBy: input.actorId, reviewedAt: new Date().toISOString() };
  }

  async reject(input: { withdrawalId: string; actorId: string; reason: string }) {
    this.calls.push(['reject', input]);
    if (this.failure) throw this.failure;
    return { ...withdrawal(input.withdrawalId, 'rejected'), reviewedBy: input.actorId, reviewedAt: new Date().toISOString(), rejectionReason: input.reason };
  }

  async bumpFee(input: { withdrawalId: string; actorId: string; feeRateSatPerVb: string }): Promise<WithdrawalFeeBump> {
    this.calls.push(['bumpFee', input]);
    if (this.failure) throw this.failure;
    return { withdrawalIds: [input.withdrawalId], payoutId: randomUUID(), txid: 'b'.repeat(64), replacedTxid: 'a'.repeat(64), feeSats: '3525', vsize: 141, status: 'broadcast' };
  }
}

const useCases = new RecordingWalletAdmin();
let wallet: WalletTest;
let admin: { userId: string; token: string };

beforeAll(async () => {
  wallet = await startWalletTest({
    http: true,
    overrides: [
      { provide: WithdrawalReview, useValue: useCases },
      { provide: WithdrawalFeeBumps, useValue: useCases },
    ],
  });
  admin = wallet.signIn('admin');
});

afterAll(async () => {
  await wallet?.close();
});

beforeEach(() => {
  useCases.calls.length = 0;
  useCases.failure = null;
});

const post = <T = Record<string, unknown>>(path: string, body?: unknown, token = admin.token) => wallet.mod.request<T>('POST', path, { token, body });

describe('GET /v1/admin/withdrawals/awaiting-approval', () => {
  it('answers a page of the wallet with the default limit, and refuses a bad limit or cursor naming them', async () => {
    const page = await wallet.mod.request<{ items: AdminWithdrawal[]; nextCursor: string | null }>('GET', '/v1/admin/withdrawals/awaiting-approval', { token: admin.token });
    expect(page.status).toBe(200);
    expect(page.body).toEqual({ items: [expect.objectContaining({ status: 'awaiting-approval', amountSats: '7000000' })], nextCursor: null });
    expect(useCases.calls).toEqual([['listAwaitingApproval', { limit: 20 }]]);

    const invalid = await wallet.mod.request<Problem>('GET', '/v1/admin/withdrawals/awaiting-approval?limit=0&cursor=nope', { token: admin.token });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors?.map((error) => [error.in, error.pointer])).toEqual([
      ['query', '/limit'],
      ['query', '/cursor'],
    ]);
  });

  it('is for admins only', async () => {
    expect((await wallet.mod.request('GET', '/v1/admin/withdrawals/awaiting-approval')).status).toBe(401);
    expect((await wallet.mod.request('GET', '/v1/admin/withdrawals/awaiting-approval', { token: wallet.signIn('user').token })).status).toBe(403);
    expect(useCases.calls).toEqual([]);
  });
});

describe('POST /v1/admin/withdrawals/:id/approve', () => {
  it('approves as the signed-in admin', async () => {
    const id = randomUUID();
    const answer = await post<AdminWithdrawal>(`/v1/admin/withdrawals/${id}/approve`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id, status: 'requested', reviewedBy: admin.userId });
    expect(useCases.calls).toEqual([['approve', { withdrawalId: id, actorId: admin.userId }]]);
  });

  it('answers 404, 409 not awaiting approval, 409 account-not-active and 409 own-request as problem+json', async () => {
    const id = randomUUID();
    const cases: Array<[Error, number, string]> = [
      [new WithdrawalNotFoundError(id), 404, 'withdrawal-not-found'],
      [new WithdrawalNotAwaitingApprovalError(id, 'rejected'), 409, 'withdrawal-not-awaiting-approval'],
      [new UserNotActiveError(randomUUID(), 'frozen'), 409, 'account-not-active'],
      [new OwnRequestReviewError(`withdrawal:${id}`), 409, 'own-request'],
    ];
    for (const [failure, status, code] of cases) {
      useCases.failure = failure;
      const answer = await post<Problem>(`/v1/admin/withdrawals/${id}/approve`);
      expect(answer.status).toBe(status);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.body).toMatchObject({ type: `https://bitro.dev/problems/${code}`, status });
    }
  });

  it('refuses an id that is not a UUID, naming the path parameter, without asking the wallet', async () => {
    const answer = await post<Problem>('/v1/admin/withdrawals/42/approve');
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([expect.objectContaining({ in: 'path', pointer: '/id' })]);
    expect(useCases.calls).toEqual([]);
  });
});

describe('POST /v1/admin/withdrawals/:id/reject', () => {
  it('rejects with the trimmed reason', async () => {
    const id = randomUUID();
    const answer = await post<AdminWithdrawal>(`/v1/admin/withdrawals/${id}/reject`, { reason: '  Destination is a mixer  ' });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id, status: 'rejected', rejectionReason: 'Destination is a mixer' });
    expect(useCases.calls).toEqual([['reject', { withdrawalId: id, actorId: admin.userId, reason: 'Destination is a mixer' }]]);
  });

  it('requires a reason, and answers 409 for a withdrawal already decided', async () => {
    const id = randomUUID();
    for (const body of [{}, { reason: '   ' }, { reason: 'x'.repeat(501) }]) {
      const answer = await post<Problem>(`/v1/admin/withdrawals/${id}/reject`, body);
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual([expect.objectContaining({ in: 'body', pointer: '/reason' })]);
    }
    expect(useCases.calls).toEqual([]);
    useCases.failure = new WithdrawalNotAwaitingApprovalError(id, 'requested');
    expect((await post<Problem>(`/v1/admin/withdrawals/${id}/reject`, { reason: 'late' })).body).toMatchObject({ status: 409, type: 'https://bitro.dev/problems/withdrawal-not-awaiting-approval' });
  });
});

describe('POST /v1/admin/withdrawals/:id/bump-fee', () => {
  it("answers the gateway's result", async () => {
    const id = randomUUID();
    const answer = await post<WithdrawalFeeBump>(`/v1/admin/withdrawals/${id}/bump-fee`, { feeRateSatPerVb: '25' });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ withdrawalIds: [id], txid: 'b'.repeat(64), replacedTxid: 'a'.repeat(64), feeSats: '3525', status: 'broadcast' });
    expect(useCases.calls).toEqual([['bumpFee', { withdrawalId: id, actorId: admin.userId, feeRateSatPerVb: '25' }]]);
  });

  it('validates the fee rate as Core takes it, naming /feeRateSatPerVb', async () => {
    for (const feeRateSatPerVb of ['0', 'fast', '1.2345', 25]) {
      const answer = await post<Problem>(`/v1/admin/withdrawals/${randomUUID()}/bump-fee`, { feeRateSatPerVb });
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual([expect.objectContaining({ in: 'body', pointer: '/feeRateSatPerVb' })]);
    }
    expect(useCases.calls).toEqual([]);
  });

  it("answers the gateway's refusal with its status and reason as the problem type", async () => {
    const id = randomUUID();
    useCases.failure = new WithdrawalFeeBumpRefusedError(id, 'exceeds-max-fee', 'the fee share would exceed the maximum of the withdrawal');
    const refused = await post<Problem>(`/v1/admin/withdrawals/${id}/bump-fee`, { feeRateSatPerVb: '500' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ type: 'https://bitro.dev/problems/exceeds-max-fee', detail: expect.stringContaining('would exceed the maximum') });

    useCases.failure = new WithdrawalFeeBumpRefusedError(id, 'invalid-fee-rate', 'not a fee rate', 422);
    const invalid = await post<Problem>(`/v1/admin/withdrawals/${id}/bump-fee`, { feeRateSatPerVb: '5' });
    expect(invalid.status).toBe(422);
    expect(invalid.body).toMatchObject({ type: 'https://bitro.dev/problems/invalid-fee-rate', errors: [{ in: 'body', pointer: '/feeRateSatPerVb' }] });

    useCases.failure = new WithdrawalNotFoundError(id);
    expect((await post<Problem>(`/v1/admin/withdrawals/${id}/bump-fee`, { feeRateSatPerVb: '5' })).status).toBe(404);
  });
});
