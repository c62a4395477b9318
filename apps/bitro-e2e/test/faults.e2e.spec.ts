import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toSats } from '@bitro/client';
import { DEPOSIT_CONFIRMATIONS, depositAddress, depositReaches, eventually, expectLedgerOk, fundedUser, paymentsTo, requestWithdrawal, System, withdrawalReaches } from '@bitro/system-testing';

let system: System;

beforeAll(async () => {
  system = await System.start();
});

afterAll(async () => {
  await system?.close();
});

/** What the gateway persisted for a withdrawal: its payout's status and txid. */
async function payoutOf(withdrawalId: string): Promise<{ status: string; txid: string } | undefined> {
  const { rows } = await system.gatewayPool.query<{ status: string; txid: string }>(
    'SELECT p.status::text AS status, p.txid FROM "gateway"."withdrawals" w JOIN "gateway"."payouts" p ON p.id = w.payout_id WHERE w.id = $1',
    [withdrawalId],
  );
  return rows[0];
}

async function settled(user: Awaited<ReturnType<typeof fundedUser>>, startSats: bigint, amountSats: bigint, feeSats: bigint): Promise<void> {
  await eventually(
    async () => {
      const balance = await system.balance(user);
      return balance.heldSats === 0n && balance.availableSats === startSats - amountSats - feeSats;
    },
    () => `balance never settled\n${system.logs()}`,
  );
}

describe('faults', () => {
  it('gateway killed after signing, before broadcasting: the restarted gateway broadcasts the same transaction', async () => {
    const user = await fundedUser(system, 30_000_000n);
    // Every broadcast fails (the connection drops) until the node is reset: the signed transaction stays persisted.
    await system.control('drop', { method: 'sendrawtransaction' });
    const { withdrawal, address } = await requestWithdrawal(system, user, 10_000_000n);
    const signed = await eventually(async () => {
      const payout = await payoutOf(withdrawal.id);
      return payout?.status === 'signed' ? payout : undefined;
    }, () => `no signed payout\n${system.logs()}`);
    await system.gateway.kill();
    expect(await paymentsTo(system, address)).toEqual([]);

    await system.control('reset');
    await system.startGateway();
    const broadcast = await withdrawalReaches(system, user, withdrawal.id, 'broadcast');
    expect(broadcast.txid).toBe(signed.txid);
    await system.mine(1);
    const confirmed = await withdrawalReaches(system, user, withdrawal.id, 'confirmed');
    expect(await paymentsTo(system, address)).toEqual([signed.txid]);
    await settled(user, 30_000_000n, 10_000_000n, BigInt(confirmed.feeSats ?? 'NaN'));
    expectLedgerOk(system);
  });

  it('RPC timeout on send (the node accepted it, the gateway did not hear): one payment', async () => {
    const user = await fundedUser(system, 30_000_000n);
    // The node takes each broadcast at once but answers after the gateway's RPC timeout (1.5 s).
    await system.control('delay', { ms: 2_500, method: 'sendrawtransaction' });
    const { withdrawal, address } = await requestWithdrawal(system, user, 7_000_000n);
    await eventually(async () => (await paymentsTo(system, address)).length > 0, () => `never sent\n${system.logs()}`);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await system.control('reset');
    await withdrawalReaches(system, user, withdrawal.id, 'broadcast');
    await system.mine(1);
    const confirmed = await withdrawalReaches(system, user, withdrawal.id, 'confirmed');
    expect(await paymentsTo(system, address)).toEqual([confirmed.txid]);
    await settled(user, 30_000_000n, 7_000_000n, BigInt(confirmed.feeSats ?? 'NaN'));
    expectLedgerOk(system);
  });

  it('node down for a while: deposits and withdrawals complete once it is back, nothing twice', async () => {
    const user = await fundedUser(system, 30_000_000n);
    const depositTxid = await system.send(await depositAddress(system, user), 5_000_000n);
    const { withdrawal, address } = await requestWithdrawal(system, user, 3_000_000n);
    // Down for longer than the gateway's retries of a read and bitro-api's gateway timeout together.
    await system.nodeDown(10_000);

    // No fee estimate without the node: a new withdrawal is refused and nothing more is held (a client that does not
    // retry, to see the refusal itself).
    const once = system.client({ accessToken: user.token }, { retries: 0 });
    const refused = await once.POST('/v1/wallet/withdrawals', {
      headers: { 'idempotency-key': 'while-the-node-is-down' },
      body: { address, amountSats: toSats(1_000_000n) },
    });
    expect(refused.response.status, JSON.stringify(refused.error)).toBe(503);
    expect((await system.balance(user)).heldSats).toBe(3_000_000n + BigInt(withdrawal.maxFeeSats));

    await depositReaches(system, user, depositTxid, 'detected', 60_000);
    await withdrawalReaches(system, user, withdrawal.id, 'broadcast', 60_000);
    await system.mine(DEPOSIT_CONFIRMATIONS);
    const confirmed = await withdrawalReaches(system, user, withdrawal.id, 'confirmed');
    await depositReaches(system, user, depositTxid, 'confirmed');
    expect(await paymentsTo(system, address)).toEqual([confirmed.txid]);
    await settled(user, 35_000_000n, 3_000_000n, BigInt(confirmed.feeSats ?? 'NaN'));
    expectLedgerOk(system);
  });

  it('a reorg that removes a confirmed deposit reverses the credit', async () => {
    const user = await system.signup();
    const txid = await system.send(await depositAddress(system, user), 4_000_000n);
    await depositReaches(system, user, txid, 'detected');
    await system.mine(DEPOSIT_CONFIRMATIONS);
    await depositReaches(system, user, txid, 'confirmed');
    await eventually(async () => (await system.balance(user)).availableSats === 4_000_000n, () => system.logs());

    // The blocks holding it are replaced by a longer chain in which its inputs pay someone else.
    await system.control('reorg', { depth: DEPOSIT_CONFIRMATIONS + 1, doubleSpend: [txid], wallet: 'outside' });
    await depositReaches(system, user, txid, 'reversed');
    await eventually(async () => (await system.balance(user)).availableSats === 0n, () => `credit not reversed\n${system.logs()}`);
    await system.mine(DEPOSIT_CONFIRMATIONS + 1);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await system.balance(user)).toEqual({ availableSats: 0n, heldSats: 0n });
    expectLedgerOk(system);
  });
});
