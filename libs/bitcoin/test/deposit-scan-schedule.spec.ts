import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { depositDetectedV1 } from '@bitro/gateway-contract';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { DepositAddressService } from '../src/features/deposits/deposit-address.service';
import { DEPOSIT_SCAN_LOCK_KEY, DepositScanSchedule } from '../src/features/deposits/deposit-scan.schedule';
import { BitcoinRpcClient } from '../src/features/node/bitcoin-rpc.client';
import { startBitcoinModuleTest, type BitcoinModuleTest } from './bitcoin-module-test';

describe('DepositScanSchedule', () => {
  let ctx: BitcoinModuleTest;
  let schedule: DepositScanSchedule;

  const start = async (scanIntervalMs: number, tipPollMs: number) => {
    ctx = await startBitcoinModuleTest({ deposits: { confirmations: 3, scanIntervalMs, tipPollMs } });
    schedule = ctx.mod.get(DepositScanSchedule);
  };
  const scanned = async () => (await ctx.prisma.chainCursor.findUnique({ where: { name: 'deposits' } })) !== null;
  const detectedEvents = async () => (await ctx.mod.events(depositDetectedV1)).length;
  /** Waits for the first scan after `stimulus` (it records the chain cursor). */
  const firstScanAfter = (stimulus: () => unknown) =>
    ctx.mod.scenario().stimulate(stimulus).andWaitForStateChange(scanned, undefined, { timeoutMs: 2_000, description: 'a first scan' });
  /** Counts the schedule's calls of each RPC method from now on. */
  const countCalls = () => {
    const calls: Record<string, number> = {};
    const call = BitcoinRpcClient.prototype.call;
    vi.spyOn(BitcoinRpcClient.prototype, 'call').mockImplementation(function (this: BitcoinRpcClient, method: string, ...rest: unknown[]) {
      calls[method] = (calls[method] ?? 0) + 1;
      return (call as (...args: unknown[]) => Promise<unknown>).call(this, method, ...rest);
    } as typeof call);
    return calls;
  };
  /** Mines a block paying a new user and resolves how long its deposit took to be detected. */
  const detectNextBlock = async () => {
    const txid = await payNewUser();
    const mined = Date.now();
    const detected = await ctx.mod
      .scenario()
      .stimulate(() => ctx.mine(1))
      .andWaitForEvent(depositDetectedV1, (payload) => payload.txid === txid && payload.confirmations === 1, { timeoutMs: 3_000 });
    expect(detected.payload.txid).toBe(txid);
    return Date.now() - mined;
  };
  const payNewUser = async () => {
    const { address } = await ctx.mod.get(DepositAddressService).issue(randomUUID());
    return ctx.outsideRpc.call('sendtoaddress', [address, '0.1'], z.string());
  };

  afterEach(async () => {
    vi.restoreAllMocks();
    await schedule.stop();
    await ctx.close();
  });

  it('does not scan before start(), and scans at once when a new block arrives, long before the scan interval', async () => {
    await start(60_000, 50);
    await sleep(200);
    expect(await scanned()).toBe(false);

    await firstScanAfter(() => schedule.start());
    const txid = await payNewUser();
    await sleep(300);
    expect(await detectedEvents()).toBe(0);

    const mined = Date.now();
    let block: string | undefined;
    const detected = await ctx.mod
      .scenario()
      .stimulate(async () => {
        [block] = await ctx.mine(1);
      })
      .andWaitForEvent(depositDetectedV1, undefined, { timeoutMs: 3_000 });
    expect(Date.now() - mined).toBeLessThan(3_000);
    expect(detected.payload).toMatchObject({ txid, confirmations: 1, blockHash: block });

    await schedule.stop();
    expect(schedule.running).toBe(false);
    await ctx.mine(1);
    await sleep(300);
    expect((await ctx.prisma.deposit.findFirstOrThrow({ where: { txid } })).confirmations).toBe(1);
  });

  it('logs a node outage once, keeps retrying, and catches up when the node is back', async () => {
    await start(100, 50);
    const warn = vi.spyOn(Logger.prototype, 'warn');
    await firstScanAfter(() => schedule.start());

    // Paid while the schedule is stopped, so that no scan can see it before the node goes down.
    await schedule.stop();
    const txid = await payNewUser();
    await ctx.node.controls.down();
    schedule.start();
    await sleep(4_500);
    const failures = warn.mock.calls.filter(([message]) => String(message).startsWith('run failed'));
    expect(failures).toHaveLength(1);
    expect(await detectedEvents()).toBe(0);

    const detected = await ctx.mod
      .scenario()
      .stimulate(() => ctx.node.controls.up())
      .andWaitForEvent(depositDetectedV1, undefined, { timeoutMs: 5_000 });
    expect(detected.payload).toMatchObject({ txid });
  });

  it('skips scans while another replica holds the scan lock', async () => {
    await start(100, 50);
    const other = await ctx.mod.pool.connect();
    try {
      await other.query('SELECT pg_advisory_lock($1)', [DEPOSIT_SCAN_LOCK_KEY]);
      schedule.start();
      await sleep(600);
      expect(await scanned()).toBe(false);

      await firstScanAfter(() => other.query('SELECT pg_advisory_unlock($1)', [DEPOSIT_SCAN_LOCK_KEY]));
    } finally {
      other.release();
    }
  });

  it('watches the tip with calls Core holds until a block arrives, not with a poll a second', async () => {
    await start(60_000, 50);
    const calls = countCalls();
    await firstScanAfter(() => schedule.start());
    await sleep(1_000);
    // The first call answers the tip at once; the second is held (20 s) until the next block.
    expect(calls).toEqual(expect.objectContaining({ waitforblockheight: 2 }));
    expect(calls['getbestblockhash']).toBeUndefined();

    expect(await detectNextBlock()).toBeLessThan(1_000);
    const stopping = Date.now();
    await schedule.stop();
    expect(Date.now() - stopping).toBeLessThan(1_000);
  });

  it('polls getbestblockhash instead, with one warning, where the node refuses waitforblockheight (-rpcwhitelist)', async () => {
    await start(60_000, 50);
    ctx.node.controls.forbidMethod('waitforblockheight');
    const warn = vi.spyOn(Logger.prototype, 'warn');
    const calls = countCalls();
    await firstScanAfter(() => schedule.start());
    await sleep(500);
    expect(calls['getbestblockhash']).toBeGreaterThan(3);
    expect(warn.mock.calls.filter(([message]) => String(message).includes('refused waitforblockheight'))).toHaveLength(1);

    expect(await detectNextBlock()).toBeLessThan(1_000);
  });
});
