import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { DepositAddressService } from '../src/features/deposits/deposit-address.service';
import { DEPOSIT_SCAN_LOCK_KEY, DepositScanSchedule } from '../src/features/deposits/deposit-scan.schedule';
import { startBitcoinContext, type BitcoinTestContext } from './bitcoin-test-context';

const DETECTED = 'gateway.deposit-detected.v1';

/** Resolves once `check` holds; fails after `timeoutMs`. */
async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await sleep(20);
  }
}

describe('DepositScanSchedule', () => {
  let ctx: BitcoinTestContext;
  let schedule: DepositScanSchedule;

  const start = async (scanIntervalMs: number, tipPollMs: number) => {
    ctx = await startBitcoinContext({ deposits: { confirmations: 3, scanIntervalMs, tipPollMs } });
    schedule = ctx.moduleRef.get(DepositScanSchedule);
  };
  const scanned = async () => (await ctx.prisma.chainCursor.findUnique({ where: { name: 'deposits' } })) !== null;
  const detectedEvents = async () => (await ctx.outbox(DETECTED)).length;
  const payNewUser = async () => {
    const { address } = await ctx.moduleRef.get(DepositAddressService).issue(randomUUID());
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

    schedule.start();
    await until(scanned, 2_000);
    const txid = await payNewUser();
    await sleep(300);
    expect(await detectedEvents()).toBe(0);

    const mined = Date.now();
    const [block] = await ctx.mine(1);
    await until(async () => (await detectedEvents()) === 1, 3_000);
    expect(Date.now() - mined).toBeLessThan(3_000);
    expect((await ctx.outbox(DETECTED))[0]?.payload).toMatchObject({ txid, confirmations: 1, blockHash: block });

    await schedule.stop();
    expect(schedule.running).toBe(false);
    await ctx.mine(1);
    await sleep(300);
    expect((await ctx.prisma.deposit.findFirstOrThrow({ where: { txid } })).confirmations).toBe(1);
  });

  it('logs a node outage once, keeps retrying, and catches up when the node is back', async () => {
    await start(100, 50);
    const warn = vi.spyOn(Logger.prototype, 'warn');
    schedule.start();
    await until(scanned, 2_000);

    // Paid while the schedule is stopped, so that no scan can see it before the node goes down.
    await schedule.stop();
    const txid = await payNewUser();
    await ctx.node.controls.down();
    schedule.start();
    await sleep(4_500);
    const failures = warn.mock.calls.filter(([message]) => String(message).startsWith('run failed'));
    expect(failures).toHaveLength(1);
    expect(await detectedEvents()).toBe(0);

    await ctx.node.controls.up();
    await until(async () => (await detectedEvents()) === 1, 5_000);
    expect((await ctx.outbox(DETECTED))[0]?.payload).toMatchObject({ txid });
  });

  it('skips scans while another replica holds the scan lock', async () => {
    await start(100, 50);
    const other = await ctx.pool.connect();
    try {
      await other.query('SELECT pg_advisory_lock($1)', [DEPOSIT_SCAN_LOCK_KEY]);
      schedule.start();
      await sleep(600);
      expect(await scanned()).toBe(false);

      await other.query('SELECT pg_advisory_unlock($1)', [DEPOSIT_SCAN_LOCK_KEY]);
      await until(scanned, 2_000);
    } finally {
      other.release();
    }
  });
});
