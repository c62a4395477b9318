import { toSats, unwrap } from '@bitro/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, expectLedgerOk, fundedUser, OUTSIDE_WALLET, paymentsTo, requestWithdrawal, System, type User, withdrawalReaches, type WithdrawalView } from '@bitro/system-testing';

/** Withdrawals of more than this wait for an admin. */
const THRESHOLD = 4_000_000n;
/** The users' fee ceiling: room for a fee bump (the node's rate is 2 sat/vB). */
const MAX_FEE = 20_000n;

let system: System;
let admin: User;

beforeAll(async () => {
  system = await System.start({ WITHDRAWAL_APPROVAL_THRESHOLD_SATS: THRESHOLD.toString() });
  admin = await system.admin();
});

afterAll(async () => {
  await system?.close();
});

const withId = (id: string) => ({ params: { path: { id } } });
const approve = (id: string) => admin.client.POST('/v1/admin/withdrawals/{id}/approve', withId(id));
const reject = (id: string, body: { reason: string }) => admin.client.POST('/v1/admin/withdrawals/{id}/reject', { ...withId(id), body });
const bumpFee = (id: string, feeRateSatPerVb: string) => admin.client.POST('/v1/admin/withdrawals/{id}/bump-fee', { ...withId(id), body: { feeRateSatPerVb } });

const view = (user: User, id: string): Promise<WithdrawalView> => unwrap(user.client.GET('/v1/wallet/withdrawals/{id}', withId(id)));

/** The admin actions of the audit trail about a withdrawal, in order. */
async function auditedActions(id: string): Promise<string[]> {
  const { rows } = await system.apiPool.query<{ action: string }>(
    `SELECT payload->>'action' AS action FROM "audit"."records" WHERE type = 'admin.action' AND payload->>'subject' = $1 ORDER BY seq`,
    [`withdrawal:${id}`],
  );
  return rows.map((row) => row.action);
}

/** A block is mined and the gateway has had time to act on it: nothing may have paid `address`. */
async function expectUnpaidAfterABlock(address: string): Promise<void> {
  await system.mine(1);
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  expect(await paymentsTo(system, address)).toEqual([]);
}

describe('withdrawals above the approval threshold, across bitro-api, bitcoin-gateway and the node', () => {
  it('waits, held and unpaid, until an admin approves; then is paid exactly once and settled', async () => {
    const user = await fundedUser(system, 30_000_000n);
    const amount = 5_000_000n;
    const { withdrawal, address } = await requestWithdrawal(system, user, amount, MAX_FEE);
    expect(withdrawal.status).toBe('awaiting-approval');
    expect(await system.balance(user)).toEqual({ availableSats: 30_000_000n - amount - MAX_FEE, heldSats: amount + MAX_FEE });
    await expectUnpaidAfterABlock(address);
    expect((await view(user, withdrawal.id)).status).toBe('awaiting-approval');

    const waiting = await unwrap(admin.client.GET('/v1/admin/withdrawals/awaiting-approval'));
    expect(waiting.items.map((item) => item.id)).toContain(withdrawal.id);
    expect((await user.client.GET('/v1/admin/withdrawals/awaiting-approval')).response.status).toBe(403);

    const approved = await approve(withdrawal.id);
    expect(approved.response.status, JSON.stringify(approved.error)).toBe(200);
    expect(approved.data).toMatchObject({ status: 'requested', reviewedBy: admin.userId });
    expect((await approve(withdrawal.id)).response.status).toBe(409);

    const broadcast = await withdrawalReaches(system, user, withdrawal.id, 'broadcast');
    await system.mine(1);
    const confirmed = await withdrawalReaches(system, user, withdrawal.id, 'confirmed');
    expect(confirmed.txid).toBe(broadcast.txid);
    expect(await paymentsTo(system, address)).toEqual([confirmed.txid]);
    expect(await system.receivedBy(address)).toBe(amount);
    const fee = BigInt(confirmed.feeSats ?? '-1');
    await eventually(async () => (await system.balance(user)).heldSats === 0n, () => `the hold was never closed\n${system.logs()}`);
    expect(await system.balance(user)).toEqual({ availableSats: 30_000_000n - amount - fee, heldSats: 0n });
    expect(await auditedActions(withdrawal.id)).toEqual(['withdrawal.approve']);
    expectLedgerOk(system);
  });

  it('is never paid once rejected: the whole hold returns and the user is told why', async () => {
    const user = await fundedUser(system, 10_000_000n);
    const { withdrawal, address } = await requestWithdrawal(system, user, 6_000_000n, MAX_FEE);
    expect(withdrawal.status).toBe('awaiting-approval');

    const missingReason = await reject(withdrawal.id, {} as { reason: string });
    expect(missingReason.response.status).toBe(400);
    expect(missingReason.error?.errors).toEqual([expect.objectContaining({ pointer: '/reason' })]);
    const rejected = await reject(withdrawal.id, { reason: 'Destination on a sanctions list' });
    expect(rejected.response.status, JSON.stringify(rejected.error)).toBe(200);
    expect(await view(user, withdrawal.id)).toMatchObject({ status: 'rejected', rejectionReason: 'Destination on a sanctions list' });
    expect(await system.balance(user)).toEqual({ availableSats: 10_000_000n, heldSats: 0n });
    expect((await approve(withdrawal.id)).response.status).toBe(409);
    await expectUnpaidAfterABlock(address);

    const notification = await eventually(
      async () => {
        const { items } = await unwrap(user.client.GET('/v1/notifications'));
        return items.find((item) => item.type === 'withdrawal.rejected');
      },
      () => `the user was never told of the rejection\n${system.logs()}`,
    );
    expect(notification.data).toMatchObject({ withdrawalId: withdrawal.id, reason: 'Destination on a sanctions list' });
    expect(await auditedActions(withdrawal.id)).toEqual(['withdrawal.reject']);
    expectLedgerOk(system);
  });

  it('goes straight through at or below the threshold', async () => {
    const user = await fundedUser(system, 10_000_000n);
    const { withdrawal, address } = await requestWithdrawal(system, user, THRESHOLD);
    expect(withdrawal.status).toBe('requested');
    await withdrawalReaches(system, user, withdrawal.id, 'broadcast');
    await system.mine(1);
    const confirmed = await withdrawalReaches(system, user, withdrawal.id, 'confirmed');
    expect(await paymentsTo(system, address)).toEqual([confirmed.txid]);
    expect(await auditedActions(withdrawal.id)).toEqual([]);
  });

  it("lets an admin bump a stuck withdrawal's fee: the replacement is what gets mined, within the user's maximum fee", async () => {
    const user = await fundedUser(system, 10_000_000n);
    const { withdrawal, address } = await requestWithdrawal(system, user, 1_000_000n, MAX_FEE);
    const stuck = await withdrawalReaches(system, user, withdrawal.id, 'broadcast');

    const tooHigh = await bumpFee(withdrawal.id, '1000');
    expect(tooHigh.response.status).toBe(409);
    expect(tooHigh.error?.type).toBe('https://bitro.dev/problems/exceeds-max-fee');

    const bumping = await bumpFee(withdrawal.id, '20');
    expect(bumping.response.status, JSON.stringify(bumping.error)).toBe(200);
    const bumped = { body: await unwrap(bumping) };
    expect(bumped.body).toMatchObject({ replacedTxid: stuck.txid, status: 'broadcast' });
    expect(BigInt(bumped.body.feeSats)).toBeGreaterThan(BigInt(stuck.feeSats ?? '0'));
    await eventually(async () => (await view(user, withdrawal.id)).txid === bumped.body.txid, () => `the replacement never reached the wallet\n${system.logs()}`);

    await system.mine(1);
    const confirmed = await withdrawalReaches(system, user, withdrawal.id, 'confirmed');
    expect(confirmed).toMatchObject({ txid: bumped.body.txid, feeSats: bumped.body.feeSats });
    expect(await paymentsTo(system, address)).toEqual([bumped.body.txid]);
    await eventually(async () => (await system.balance(user)).heldSats === 0n, () => `the hold was never closed\n${system.logs()}`);
    expect(await system.balance(user)).toEqual({ availableSats: 10_000_000n - 1_000_000n - BigInt(bumped.body.feeSats), heldSats: 0n });
    expect(await auditedActions(withdrawal.id)).toEqual(['withdrawal.bump-fee']);
    expectLedgerOk(system);
  });

  it('refuses a frozen user: the old session ends, signing in is refused, and a waiting withdrawal can be rejected but not approved', async () => {
    const user = await fundedUser(system, 10_000_000n);
    const { withdrawal, address: waitingFor } = await requestWithdrawal(system, user, 5_000_000n, MAX_FEE);
    const frozen = await admin.client.POST('/v1/admin/users/{id}/freeze', { ...withId(user.userId), body: { reason: 'Chargeback fraud under investigation' } });
    expect(frozen.response.status, JSON.stringify(frozen.error)).toBe(200);

    // A freeze ends the user's sessions at once (ADR 18): the old token is refused before any withdrawal rule runs.
    const address = await system.rpc<string>('getnewaddress', [], OUTSIDE_WALLET);
    // (The client's one refresh is refused too: the freeze revoked the refresh token with the session.)
    const refused = await user.client.POST('/v1/wallet/withdrawals', { body: { address, amountSats: toSats(100_000n) } });
    expect(refused.response.status).toBe(401);
    expect(refused.error).toMatchObject({ type: 'https://bitro.dev/problems/invalid-token', detail: expect.stringContaining('session of this access token has ended') });
    expect(user.client.session.accessToken).toBeUndefined();
    const login = await system.client().POST('/v1/auth/login', { body: { email: user.email, password: user.password } });
    expect(login.response.status).toBe(403);
    expect(login.error?.type).toBe('https://bitro.dev/problems/account-frozen');

    const approval = await approve(withdrawal.id);
    expect(approval.response.status).toBe(409);
    expect(approval.error?.type).toBe('https://bitro.dev/problems/account-not-active');
    expect((await reject(withdrawal.id, { reason: 'Account frozen' })).response.status).toBe(200);
    const wallet = await unwrap(admin.client.GET('/v1/admin/users/{id}', withId(user.userId)));
    expect(wallet.wallet).toEqual({ availableSats: '10000000', heldSats: '0' });
    await expectUnpaidAfterABlock(waitingFor);
    expect(await paymentsTo(system, address)).toEqual([]);
  });

  it('keeps an audit trail that verifies', async () => {
    const verify = await admin.client.GET('/v1/admin/audit/verify');
    expect(verify.response.status).toBe(200);
    expect(verify.data?.ok).toBe(true);
  });
});
