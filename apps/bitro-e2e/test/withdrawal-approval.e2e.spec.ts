import { randomUUID } from 'node:crypto';
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

const decide = <T = WithdrawalView & { reviewedBy: string | null }>(id: string, verb: 'approve' | 'reject' | 'bump-fee', body?: unknown) =>
  system.request<T>('POST', `/v1/admin/withdrawals/${id}/${verb}`, { token: admin.token, body });

const view = async (user: User, id: string) => (await system.request<WithdrawalView>('GET', `/v1/wallet/withdrawals/${id}`, { token: user.token })).body;

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

    const waiting = await system.request<{ items: Array<{ id: string }> }>('GET', '/v1/admin/withdrawals/awaiting-approval', { token: admin.token });
    expect(waiting.body.items.map((item) => item.id)).toContain(withdrawal.id);
    expect((await system.request('GET', '/v1/admin/withdrawals/awaiting-approval', { token: user.token })).status).toBe(403);

    const approved = await decide(withdrawal.id, 'approve');
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body).toMatchObject({ status: 'requested', reviewedBy: admin.userId });
    expect((await decide(withdrawal.id, 'approve')).status).toBe(409);

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

    const missingReason = await decide<{ errors: Array<{ pointer: string }> }>(withdrawal.id, 'reject', {});
    expect(missingReason.status).toBe(400);
    expect(missingReason.body.errors).toEqual([expect.objectContaining({ pointer: '/reason' })]);
    const rejected = await decide(withdrawal.id, 'reject', { reason: 'Destination on a sanctions list' });
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    expect(await view(user, withdrawal.id)).toMatchObject({ status: 'rejected', rejectionReason: 'Destination on a sanctions list' });
    expect(await system.balance(user)).toEqual({ availableSats: 10_000_000n, heldSats: 0n });
    expect((await decide(withdrawal.id, 'approve')).status).toBe(409);
    await expectUnpaidAfterABlock(address);

    const notification = await eventually(
      async () => {
        const { body } = await system.request<{ items: Array<{ type: string; body: string; data: Record<string, unknown> }> }>('GET', '/v1/notifications', { token: user.token });
        return body.items.find((item) => item.type === 'withdrawal.rejected');
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

    const tooHigh = await decide<{ type: string }>(withdrawal.id, 'bump-fee', { feeRateSatPerVb: '1000' });
    expect(tooHigh.status).toBe(409);
    expect(tooHigh.body.type).toBe('https://bitro.dev/problems/exceeds-max-fee');

    const bumped = await decide<{ txid: string; replacedTxid: string; feeSats: string; status: string }>(withdrawal.id, 'bump-fee', { feeRateSatPerVb: '20' });
    expect(bumped.status, JSON.stringify(bumped.body)).toBe(200);
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
    const frozen = await system.request('POST', `/v1/admin/users/${user.userId}/freeze`, { token: admin.token, body: { reason: 'Chargeback fraud under investigation' } });
    expect(frozen.status, JSON.stringify(frozen.body)).toBe(200);

    // A freeze ends the user's sessions at once (ADR 18): the old token is refused before any withdrawal rule runs.
    const address = await system.rpc<string>('getnewaddress', [], OUTSIDE_WALLET);
    const refused = await system.request<{ type: string; detail: string }>('POST', '/v1/wallet/withdrawals', {
      token: user.token,
      headers: { 'idempotency-key': randomUUID() },
      body: { address, amountSats: '100000' },
    });
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ type: 'https://bitro.dev/problems/invalid-token', detail: expect.stringContaining('session of this access token has ended') });
    const login = await system.request<{ type: string }>('POST', '/v1/auth/login', { body: { email: user.email, password: user.password } });
    expect(login.status).toBe(403);
    expect(login.body.type).toBe('https://bitro.dev/problems/account-frozen');

    const approval = await decide<{ type: string }>(withdrawal.id, 'approve');
    expect(approval.status).toBe(409);
    expect(approval.body.type).toBe('https://bitro.dev/problems/account-not-active');
    expect((await decide(withdrawal.id, 'reject', { reason: 'Account frozen' })).status).toBe(200);
    const wallet = await system.request<{ wallet: { availableSats: string; heldSats: string } }>('GET', `/v1/admin/users/${user.userId}`, { token: admin.token });
    expect(wallet.body.wallet).toEqual({ availableSats: '10000000', heldSats: '0' });
    await expectUnpaidAfterABlock(waitingFor);
    expect(await paymentsTo(system, address)).toEqual([]);
  });

  it('keeps an audit trail that verifies', async () => {
    const verify = await system.request<{ ok: boolean }>('GET', '/v1/admin/audit/verify', { token: admin.token });
    expect(verify.status).toBe(200);
    expect(verify.body.ok).toBe(true);
  });
});
