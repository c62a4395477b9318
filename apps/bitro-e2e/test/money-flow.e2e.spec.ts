import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectEveryJournalAudited } from './audit-checks';
import { DEPOSIT_CONFIRMATIONS, depositAddress, depositOf, depositReaches, eventually, expectLedgerOk, fundedUser, requestWithdrawal, System, withdrawalReaches } from '@bitro/system-testing';

let system: System;

beforeAll(async () => {
  system = await System.start();
});

afterAll(async () => {
  await system?.close();
});

describe('bitro-api + bitcoin-gateway + regtest node', () => {
  it('credits a deposit once it has the required confirmations, and only once', async () => {
    const user = await system.signup();
    const address = await depositAddress(system, user);
    expect(address).toMatch(/^bcrt1/);
    // Asking again gives the same address while it has received nothing.
    expect(await depositAddress(system, user)).toBe(address);

    const txid = await system.send(address, 25_000_000n);
    const detected = await depositReaches(system, user, txid, 'detected');
    expect(detected.amountSats).toBe('25000000');
    expect(await system.balance(user)).toEqual({ availableSats: 0n, heldSats: 0n });

    await system.mine(DEPOSIT_CONFIRMATIONS - 1);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await depositOf(system, user, txid))?.status).toBe('detected');
    expect((await system.balance(user)).availableSats).toBe(0n);

    await system.mine(1);
    await depositReaches(system, user, txid, 'confirmed');
    await eventually(async () => (await system.balance(user)).availableSats === 25_000_000n, () => system.logs());

    // More blocks, a gateway restart (it rescans from its cursor): still credited once.
    await system.mine(3);
    await system.restartGateway();
    await system.mine(1);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await system.balance(user)).toEqual({ availableSats: 25_000_000n, heldSats: 0n });
    // The used address is retired: the next request gets a new one.
    expect(await depositAddress(system, user)).not.toBe(address);
    expectLedgerOk(system);
  });

  it('pays a withdrawal once, reports it broadcast then confirmed, and charges amount plus the actual fee', async () => {
    const user = await fundedUser(system, 50_000_000n);
    const { withdrawal, address } = await requestWithdrawal(system, user, 20_000_000n);
    expect(withdrawal.status).toBe('requested');
    const held = await system.balance(user);
    expect(held.heldSats).toBe(20_000_000n + BigInt(withdrawal.maxFeeSats));

    const broadcast = await withdrawalReaches(system, user, withdrawal.id, 'broadcast');
    expect(broadcast.txid).toMatch(/^[0-9a-f]{64}$/);
    expect(await system.receivedBy(address)).toBe(20_000_000n);

    await system.mine(1);
    const confirmed = await withdrawalReaches(system, user, withdrawal.id, 'confirmed');
    expect(confirmed.txid).toBe(broadcast.txid);
    const fee = BigInt(confirmed.feeSats ?? 'NaN');
    expect(fee).toBeGreaterThan(0n);
    expect(fee).toBeLessThanOrEqual(BigInt(withdrawal.maxFeeSats));
    await eventually(
      async () => {
        const balance = await system.balance(user);
        return balance.heldSats === 0n && balance.availableSats === 50_000_000n - 20_000_000n - fee;
      },
      () => `balance after confirmation\n${system.logs()}`,
    );
    expect(await system.receivedBy(address)).toBe(20_000_000n);
    expectLedgerOk(system);
  });

  it('has an audit record of every ledger journal the flows above posted, in a chain that verifies', async () => {
    await expectEveryJournalAudited(system);
  });
});
