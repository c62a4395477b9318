import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ReservesCheck } from '../src/features/reserves/reserves-check';
import { ReservesLedger } from '../src/features/reserves/reserves-ledger';
import { WithdrawalSend } from '../src/features/withdrawals/withdrawal-send';
import { startBitcoinModuleTest, type BitcoinModuleTest } from './bitcoin-module-test';

const USER = randomUUID();

describe('chain ↔ records (reserves)', () => {
  let ctx: BitcoinModuleTest;

  afterEach(async () => {
    await ctx.close();
  });

  const request = (address: string, amountSats: bigint) => ctx.requestWithdrawal({ userId: USER, address, amountSats, maxFeeSats: 100_000n });

  it('agrees through deposits and payouts, detects money taken out behind its back, pauses payouts until an admin acknowledges', async () => {
    ctx = await startBitcoinModuleTest({ reserves: { checkIntervalMs: 60_000, toleranceSats: 1_000n } });
    const check = ctx.mod.get(ReservesCheck);
    const ledger = ctx.mod.get(ReservesLedger);
    const sender = ctx.mod.get(WithdrawalSend);

    const opening = await check.run();
    expect(opening).toMatchObject({ status: 'ok', differenceSats: 0n });
    expect(await ctx.prisma.reserveAdjustment.findMany()).toEqual([expect.objectContaining({ kind: 'opening', amountSats: opening?.walletSats })]);

    // A user's deposit (unconfirmed, then mined) and a withdrawal: the records explain both.
    await ctx.prisma.depositAddress.create({ data: { userId: USER, address: await ctx.gatewayRpc.getNewAddress(), network: 'regtest', type: 'p2wpkh' } });
    const [depositAddress] = await ctx.prisma.depositAddress.findMany();
    await ctx.outsideRpc.call('sendtoaddress', [depositAddress.address, '0.25'], z.string());
    const pending = await check.run();
    expect(pending).toMatchObject({ status: 'ok', differenceSats: 0n });
    expect(pending?.figures).toMatchObject({ expected: { pendingDeposits: '25000000' }, differences: { pending: '0', total: '0' } });
    await request(await ctx.outsideRpc.getNewAddress(), 1_000_000n);
    await sender.run();
    await ctx.mine(1);
    await sender.run();
    expect(await check.run()).toMatchObject({ status: 'ok', differenceSats: 0n });

    // Someone with the wallet's keys sends 0.1 BTC out behind Bitro's back.
    await ctx.gatewayRpc.call('sendtoaddress', [await ctx.outsideRpc.getNewAddress(), '0.1'], z.string());
    const mismatch = await check.run();
    expect(mismatch?.status).toBe('mismatch');
    expect(mismatch?.differenceSats).toBeLessThan(-10_000_000n);
    expect(await ledger.pause()).toMatchObject({ checkId: mismatch?.id, differenceSats: mismatch?.differenceSats });

    // Payouts pause: a new withdrawal stays queued.
    const held = await request(await ctx.outsideRpc.getNewAddress(), 500_000n);
    await sender.run();
    expect((await ctx.prisma.withdrawal.findUniqueOrThrow({ where: { id: held } })).status).toBe('queued');
    expect((await ledger.history(10)).map((c) => c.status)).toEqual(['mismatch', 'ok', 'ok', 'ok']);

    const admin = randomUUID();
    expect(await ledger.acknowledge(admin, 'moved to cold storage by the operator')).toEqual({ adjustedSats: mismatch?.differenceSats, acknowledgedChecks: 1 });
    expect(await ledger.pause()).toBeUndefined();
    await sender.run();
    expect((await ctx.prisma.withdrawal.findUniqueOrThrow({ where: { id: held } })).status).toBe('broadcast');
    expect(await check.run()).toMatchObject({ status: 'ok', differenceSats: 0n });
    expect(await ledger.acknowledge(admin, 'again')).toEqual({ adjustedSats: 0n, acknowledgedChecks: 0 });
  });

  it('judges nothing while a payout is signed but unsettled', async () => {
    ctx = await startBitcoinModuleTest();
    const check = ctx.mod.get(ReservesCheck);
    await check.run();
    await request(await ctx.outsideRpc.getNewAddress(), 100_000n);
    ctx.node.controls.dropMethod('sendrawtransaction', 1);
    await ctx.mod.get(WithdrawalSend).run();
    expect(await check.run()).toMatchObject({ status: 'unsettled', figures: expect.objectContaining({ inDoubt: expect.stringContaining('signed') }) });
    expect(await ctx.mod.get(ReservesLedger).pause()).toBeUndefined();
  });
});
