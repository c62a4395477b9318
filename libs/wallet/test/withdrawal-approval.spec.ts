import { randomUUID } from 'node:crypto';
import { withdrawalRequestedV1 } from '@bitro/gateway-contract';
import { PriceFeedModule } from '@bitro/price-feed';
import { OwnRequestReviewError, UserNotActiveError, walletWithdrawalRejectedV1 } from '@bitro/service-api';
import { startModuleTest } from '@bitro/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InvalidCursorError, WithdrawalFeeBumpRefusedError, WithdrawalNotAwaitingApprovalError, WithdrawalNotFoundError } from '../src/features/withdrawals/withdrawal.errors';
import { WithdrawalFeeBumps } from '../src/features/withdrawals/withdrawal-fee-bumps';
import { WithdrawalReview } from '../src/features/withdrawals/withdrawal-review';
import { WalletModule } from '../src/wallet.module';
import { fakeAddress } from './fake-gateway-server';
import { ref, startWalletTest, type WalletTest } from './wallet-test';

interface WithdrawalBody {
  id: string;
  status: string;
  amountSats: string;
  maxFeeSats: string;
  rejectionReason: string | null;
  rejectedAt: string | null;
}

const THRESHOLD = 200_000n;
const DAILY_LIMIT = 1_000_000n;
const destination = fakeAddress('approval-destination');
const admin = randomUUID();

let wallet: WalletTest;
let review: WithdrawalReview;
let feeBumps: WithdrawalFeeBumps;

beforeAll(async () => {
  wallet = await startWalletTest({
    http: true,
    env: { WITHDRAWAL_APPROVAL_THRESHOLD_SATS: String(THRESHOLD), WITHDRAWAL_DAILY_LIMIT_SATS: String(DAILY_LIMIT), WITHDRAWAL_MIN_SATS: '10000' },
  });
  review = wallet.mod.get(WithdrawalReview);
  feeBumps = wallet.mod.get(WithdrawalFeeBumps);
});

afterAll(async () => {
  await wallet?.close();
});

beforeEach(() => {
  wallet.gateway.mode = 'up';
  wallet.gateway.feeBumpRefusal = null;
  wallet.gateway.calls.length = 0;
  wallet.audit.reset();
});

async function fundedUser(sats = 2_000_000n): Promise<{ userId: string; token: string }> {
  const user = wallet.signIn();
  await wallet.ledger.credit({ userId: user.userId, amountSats: sats, reference: ref('credit'), description: 'Gift card' });
  return user;
}

const withdraw = <T = WithdrawalBody>(token: string, amountSats: bigint) =>
  wallet.mod.request<T>('POST', '/v1/wallet/withdrawals', {
    token,
    body: { address: destination, amountSats: amountSats.toString(), maxFeeSats: '5000' },
    headers: { 'idempotency-key': randomUUID() },
  });

const view = async (token: string, id: string) => (await wallet.mod.request<WithdrawalBody>('GET', `/v1/wallet/withdrawals/${id}`, { token })).body;

const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

/** A user with a withdrawal of `amountSats` (above the threshold by default) waiting for approval. */
async function awaiting(amountSats = 300_000n) {
  const user = await fundedUser();
  const answer = await withdraw(user.token, amountSats);
  expect(answer.status, JSON.stringify(answer.body)).toBe(202);
  return { ...user, id: answer.body.id };
}

describe('the other domains behind approvals', () => {
  it('names the other domains’ tokens the wallet injects when the test stubs none', async () => {
    await expect(startModuleTest({ module: WalletModule, imports: [PriceFeedModule] })).rejects.toThrow(
      "WalletModule injects AUDIT_API and USER_API (from other domains' service-api) but the module test has no stub for them: " +
        'pass stubs: [{ provide: AUDIT_API, useValue: ... }, { provide: USER_API, useValue: ... }]',
    );
  });
});

describe('frozen users', () => {
  it('refuses a frozen user 403 account-not-active before asking the gateway or holding anything', async () => {
    const { userId, token } = await fundedUser();
    wallet.users.frozen.add(userId);
    const answer = await withdraw<{ type: string; status: number; detail: string }>(token, 50_000n);
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ type: 'https://bitro.dev/problems/account-not-active', detail: 'This account is frozen; contact support.' });
    expect(wallet.gateway.calls).toEqual([]);
    expect(await wallet.ledger.balance(userId)).toMatchObject({ availableSats: 2_000_000n, heldSats: 0n });
  });
});

describe('withdrawals above the approval threshold', () => {
  it('are held like any request but wait, unsent, in awaiting-approval; at the threshold itself one goes straight through', async () => {
    const { userId, token, id } = await awaiting(300_000n);
    expect(await view(token, id)).toMatchObject({ status: 'awaiting-approval', amountSats: '300000', maxFeeSats: '5000', rejectionReason: null });
    expect(await wallet.ledger.balance(userId)).toMatchObject({ availableSats: 1_695_000n, heldSats: 305_000n });
    expect(await wallet.announced(withdrawalRequestedV1, userId)).toEqual([]);

    const atThreshold = await withdraw(token, THRESHOLD);
    expect(atThreshold.body.status).toBe('requested');
    expect(await wallet.announced(withdrawalRequestedV1, userId)).toHaveLength(1);
  });

  it('count against the daily limit while they wait', async () => {
    const { token } = await awaiting(900_000n);
    const over = await withdraw<{ type: string }>(token, 150_000n);
    expect(over.status).toBe(422);
    expect(over.body.type).toBe('https://bitro.dev/problems/daily-limit-exceeded');
  });

  it('are listed for admins, newest first, a page at a time', async () => {
    const first = await awaiting();
    const second = await awaiting();
    const page = await review.listAwaitingApproval({ limit: 1 });
    expect(page.items).toEqual([expect.objectContaining({ id: second.id, userId: second.userId, status: 'awaiting-approval', amountSats: '300000', reviewedBy: null })]);
    const next = await review.listAwaitingApproval({ limit: 100, cursor: page.nextCursor ?? '' });
    expect(next.items.map((item) => item.id)).toContain(first.id);
    expect(next.items.map((item) => item.id)).not.toContain(second.id);
    await expect(review.listAwaitingApproval({ limit: 10, cursor: 'nope' })).rejects.toBeInstanceOf(InvalidCursorError);
  });
});

describe('approval', () => {
  it('hands the withdrawal to the gateway exactly as a request below the threshold, audited in the same transaction', async () => {
    const { userId, token, id } = await awaiting();
    const approved = await review.approve({ withdrawalId: id, actorId: admin });
    expect(approved).toMatchObject({ id, status: 'requested', reviewedBy: admin, reviewedAt: expect.any(String) });
    expect(await view(token, id)).toMatchObject({ status: 'requested' });
    expect(await wallet.announced(withdrawalRequestedV1, userId)).toEqual([{ withdrawalId: id, userId, address: destination, amountSats: '300000', maxFeeSats: '5000' }]);
    expect(await wallet.ledger.balance(userId)).toMatchObject({ heldSats: 305_000n });
    expect(wallet.audit.records).toEqual([
      { tx: expect.anything(), input: { action: 'withdrawal.approve', actorId: admin, subject: `withdrawal:${id}`, details: { userId, amountSats: 300_000n, address: destination } } },
    ]);

    const again = await failureOf(review.approve({ withdrawalId: id, actorId: admin }));
    expect(again).toBeInstanceOf(WithdrawalNotAwaitingApprovalError);
    expect(again).toMatchObject({ status: 'requested' });
    expect(await failureOf(review.reject({ withdrawalId: id, actorId: admin, reason: 'late' }))).toBeInstanceOf(WithdrawalNotAwaitingApprovalError);
    expect(await wallet.announced(withdrawalRequestedV1, userId)).toHaveLength(1);
  });

  it('changes nothing when the audit record cannot be written', async () => {
    const { userId, id } = await awaiting();
    wallet.audit.inspect = async () => {
      throw new Error('audit trail down');
    };
    await expect(review.approve({ withdrawalId: id, actorId: admin })).rejects.toThrow('audit trail down');
    expect((await review.listAwaitingApproval({ limit: 100 })).items.map((item) => item.id)).toContain(id);
    expect(await wallet.announced(withdrawalRequestedV1, userId)).toEqual([]);
  });

  it("is refused while the user is frozen; the withdrawal keeps waiting and may still be rejected", async () => {
    const { userId, id } = await awaiting();
    wallet.users.frozen.add(userId);
    expect(await failureOf(review.approve({ withdrawalId: id, actorId: admin }))).toBeInstanceOf(UserNotActiveError);
    expect(await wallet.announced(withdrawalRequestedV1, userId)).toEqual([]);
    await expect(review.reject({ withdrawalId: id, actorId: admin, reason: 'Account frozen' })).resolves.toMatchObject({ status: 'rejected' });
  });

  it("refuses an admin's approval of their own withdrawal (four eyes); another admin may approve it", async () => {
    const { userId, id } = await awaiting();
    expect(await failureOf(review.approve({ withdrawalId: id, actorId: userId }))).toBeInstanceOf(OwnRequestReviewError);
    expect(await wallet.announced(withdrawalRequestedV1, userId)).toEqual([]);
    await expect(review.approve({ withdrawalId: id, actorId: admin })).resolves.toMatchObject({ status: 'requested' });
  });

  it('does not know a withdrawal that does not exist', async () => {
    expect(await failureOf(review.approve({ withdrawalId: randomUUID(), actorId: admin }))).toBeInstanceOf(WithdrawalNotFoundError);
    expect(await failureOf(review.reject({ withdrawalId: randomUUID(), actorId: admin, reason: 'x' }))).toBeInstanceOf(WithdrawalNotFoundError);
  });
});

describe('rejection', () => {
  it('releases the whole hold, shows the reason to the user, tells them, and no longer counts against the daily limit', async () => {
    const { userId, token, id } = await awaiting(900_000n);
    const rejected = await review.reject({ withdrawalId: id, actorId: admin, reason: 'Destination on a sanctions list' });
    expect(rejected).toMatchObject({ id, status: 'rejected', reviewedBy: admin, rejectionReason: 'Destination on a sanctions list' });
    expect(await view(token, id)).toMatchObject({ status: 'rejected', rejectionReason: 'Destination on a sanctions list', rejectedAt: expect.any(String) });
    expect(await wallet.ledger.balance(userId)).toMatchObject({ availableSats: 2_000_000n, heldSats: 0n });
    const [release] = (await wallet.ledger.history(userId, { kind: 'release' })).items;
    expect(release).toMatchObject({ reference: `withdrawal:${id}:release`, heldDeltaSats: -905_000n, availableDeltaSats: 905_000n });
    expect(await wallet.announced(walletWithdrawalRejectedV1, userId)).toEqual([
      { withdrawalId: id, userId, amountSats: '900000', address: destination, reason: 'Destination on a sanctions list' },
    ]);
    expect(await wallet.announced(withdrawalRequestedV1, userId)).toEqual([]);
    expect(wallet.audit.records).toEqual([
      {
        tx: expect.anything(),
        input: { action: 'withdrawal.reject', actorId: admin, subject: `withdrawal:${id}`, details: { userId, amountSats: 900_000n, address: destination, reason: 'Destination on a sanctions list' } },
      },
    ]);
    expect((await withdraw(token, 150_000n)).status).toBe(202);
    expect(await failureOf(review.approve({ withdrawalId: id, actorId: admin }))).toBeInstanceOf(WithdrawalNotAwaitingApprovalError);
  });
});

describe('fee bumps', () => {
  it("asks the gateway, answers its result and audits the bump under the new txid", async () => {
    const { userId, token } = await fundedUser();
    const { body } = await withdraw(token, 50_000n);
    const result = await feeBumps.bumpFee({ withdrawalId: body.id, actorId: admin, feeRateSatPerVb: '20' });
    expect(result).toMatchObject({ withdrawalIds: [body.id], feeSats: '2820', status: 'broadcast', txid: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(wallet.gateway.calls).toContainEqual({ path: '/internal/v1/withdrawals/fee-bumps', body: { withdrawalId: body.id, feeRateSatPerVb: '20' } });
    expect(wallet.audit.records).toEqual([
      {
        tx: undefined,
        input: expect.objectContaining({
          action: 'withdrawal.bump-fee',
          actorId: admin,
          subject: `withdrawal:${body.id}`,
          idempotencyKey: `withdrawal.bump-fee:${body.id}:${result.txid}`,
          details: expect.objectContaining({ feeRateSatPerVb: '20', txid: result.txid, replacedTxid: result.replacedTxid, feeSats: '2820' }),
        }),
      },
    ]);
    // The hold is untouched: the gateway's broadcast event brings the new txid and fee.
    expect(await wallet.ledger.balance(userId)).toMatchObject({ heldSats: 55_000n });
  });

  it("passes the gateway's refusal on with its reason and status, auditing nothing", async () => {
    const { token } = await fundedUser();
    const { body } = await withdraw(token, 50_000n);
    wallet.gateway.feeBumpRefusal = { status: 409, reason: 'exceeds-max-fee', detail: 'the fee share would exceed the maximum' };
    const refused = await failureOf(feeBumps.bumpFee({ withdrawalId: body.id, actorId: admin, feeRateSatPerVb: '500' }));
    expect(refused).toBeInstanceOf(WithdrawalFeeBumpRefusedError);
    expect(refused).toMatchObject({ reason: 'exceeds-max-fee', status: 409, detail: 'the fee share would exceed the maximum' });
    wallet.gateway.feeBumpRefusal = { status: 422, reason: 'invalid-fee-rate', detail: 'bad rate' };
    expect(await failureOf(feeBumps.bumpFee({ withdrawalId: body.id, actorId: admin, feeRateSatPerVb: '5' }))).toMatchObject({ reason: 'invalid-fee-rate', status: 422 });
    expect(wallet.audit.records).toEqual([]);
  });

  it('refuses a withdrawal that never reached the gateway without asking it, and one that does not exist', async () => {
    const { id } = await awaiting();
    expect(await failureOf(feeBumps.bumpFee({ withdrawalId: id, actorId: admin, feeRateSatPerVb: '20' }))).toMatchObject({ name: 'WithdrawalFeeBumpRefusedError', reason: 'not-broadcast' });
    expect(await failureOf(feeBumps.bumpFee({ withdrawalId: randomUUID(), actorId: admin, feeRateSatPerVb: '20' }))).toBeInstanceOf(WithdrawalNotFoundError);
    expect(wallet.gateway.calls.filter((call) => call.path.endsWith('fee-bumps'))).toEqual([]);
  });

  it('answers 503 gateway-unavailable when the gateway is down', async () => {
    const { token } = await fundedUser();
    const { body } = await withdraw(token, 50_000n);
    wallet.gateway.mode = 'down';
    expect(await failureOf(feeBumps.bumpFee({ withdrawalId: body.id, actorId: admin, feeRateSatPerVb: '20' }))).toMatchObject({ status: 503, code: 'gateway-unavailable' });
  });
});
