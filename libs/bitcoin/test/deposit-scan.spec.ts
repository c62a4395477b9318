import { randomUUID } from 'node:crypto';
import { depositConfirmedV1, depositDetectedV1, depositReversedV1 } from '@bitro/gateway-contract';
import { type EventContractLike, Outbox } from '@bitro/messaging';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { DepositAddressService } from '../src/features/deposits/deposit-address.service';
import { DepositScan } from '../src/features/deposits/deposit-scan';
import { DepositPublisher } from '../src/features/deposits/deposit.publisher';
import { BitcoinRpcClient } from '../src/features/node/bitcoin-rpc.client';
import { BitcoinRpcTransportError } from '../src/features/node/rpc-errors';
import { type ListSinceBlockResult } from '../src/features/node/rpc-schemas';
import { OUTSIDE_WALLET, startBitcoinModuleTest, type BitcoinModuleTest } from './bitcoin-module-test';

const N = 3;

/** listsinceblock without `removed`, as on a pruned node. */
class PrunedListingRpc extends BitcoinRpcClient {
  override async listSinceBlock(options: Parameters<BitcoinRpcClient['listSinceBlock']>[0]): Promise<ListSinceBlockResult> {
    return { ...(await super.listSinceBlock(options)), removed: [] };
  }
}

describe('DepositScan', () => {
  let ctx: BitcoinModuleTest;
  let scan: DepositScan;
  let addresses: DepositAddressService;

  beforeEach(async () => {
    ctx = await startBitcoinModuleTest({ deposits: { confirmations: N, scanIntervalMs: 60_000, tipPollMs: 1_000 } });
    scan = ctx.mod.get(DepositScan);
    addresses = ctx.mod.get(DepositAddressService);
  });

  afterEach(async () => {
    await ctx.close();
  });

  const pay = (address: string, btc: string) => ctx.outsideRpc.call('sendtoaddress', [address, btc], z.string());
  const count = async (contract: EventContractLike) => (await ctx.mod.events(contract)).length;
  /** Events by kind. Events appended in the same millisecond have no order in the outbox, so counts, not sequences. */
  const tally = async () => ({ detected: await count(depositDetectedV1), confirmed: await count(depositConfirmedV1), reversed: await count(depositReversedV1) });
  const deposit = async (txid: string) => ctx.prisma.deposit.findFirstOrThrow({ where: { txid } });
  const cursor = () => ctx.prisma.chainCursor.findUnique({ where: { name: 'deposits' } });
  /** Everything a scan may write. */
  const snapshot = async () => ({
    outbox: await ctx.appended(),
    deposits: await ctx.prisma.deposit.findMany({ orderBy: [{ txid: 'asc' }, { vout: 'asc' }] }),
    addresses: await ctx.prisma.depositAddress.findMany({ orderBy: { address: 'asc' } }),
    cursor: await cursor(),
  });
  const newUser = async () => {
    const userId = randomUUID();
    return { userId, address: (await addresses.issue(userId)).address };
  };

  it('announces a deposit at 0 confirmations, confirms it exactly once at N, and moves the cursor to lastblock', async () => {
    const { userId, address } = await newUser();
    const txid = await pay(address, '0.5');

    expect(await scan.run()).toMatchObject({ detected: 1, confirmed: 0, reversed: 0 });
    const row = await deposit(txid);
    expect(row).toMatchObject({ status: 'detected', confirmations: 0, blockHash: null, userId, address, amountSats: 50_000_000n });
    expect((await ctx.mod.events(depositDetectedV1)).map((e) => e.payload)).toEqual([
      { userId, address, txid, vout: row.vout, amountSats: '50000000', confirmations: 0, blockHash: null, blockHeight: null },
    ]);

    const [firstBlock] = await ctx.mine(N - 1);
    expect(await scan.run()).toMatchObject({ detected: 0, confirmed: 0 });
    expect(await deposit(txid)).toMatchObject({ status: 'detected', confirmations: N - 1, blockHash: firstBlock });
    expect(await count(depositConfirmedV1)).toBe(0);

    await ctx.mine(1);
    expect(await scan.run()).toMatchObject({ detected: 0, confirmed: 1 });
    const height = await ctx.gatewayRpc.getBlockCount();
    expect((await ctx.mod.events(depositConfirmedV1)).map((e) => e.payload)).toEqual([
      { userId, address, txid, vout: row.vout, amountSats: '50000000', confirmations: N, blockHash: firstBlock, blockHeight: height - N + 1 },
    ]);
    expect(await deposit(txid)).toMatchObject({ status: 'confirmed', confirmations: N, confirmedAt: expect.any(Date) });

    await scan.run();
    await ctx.mine(5);
    await scan.run();
    expect(await tally()).toEqual({ detected: 1, confirmed: 1, reversed: 0 });
    const tip = await ctx.gatewayRpc.getBlockCount();
    expect(await cursor()).toMatchObject({ blockHeight: tip - N + 1, blockHash: await ctx.gatewayRpc.getBlockHash(tip - N + 1) });
  });

  it('writes nothing, not even the cursor, when neither the chain nor the wallet changed since the last scan', async () => {
    const { address } = await newUser();
    await pay(address, '0.01');
    await scan.run();
    const before = await snapshot();
    expect(await scan.run()).toMatchObject({ detected: 0, confirmed: 0, reversed: 0 });
    expect(await snapshot()).toEqual(before);
  });

  it('reads no deposit address when the listing holds no receive (the idle scan)', async () => {
    await newUser();
    const lookups = vi.spyOn(ctx.prisma.depositAddress, 'findMany');
    await scan.run();
    expect(lookups).not.toHaveBeenCalled();

    await pay((await newUser()).address, '0.01');
    expect(await scan.run()).toMatchObject({ detected: 1 });
    expect(lookups).toHaveBeenCalledTimes(1);
  });

  it('marks the address used on the first deposit, so the user is given a new one', async () => {
    const { userId, address } = await newUser();
    await pay(address, '0.01');
    expect((await addresses.issue(userId)).address).toBe(address);

    await scan.run();
    expect((await ctx.prisma.depositAddress.findUniqueOrThrow({ where: { address } })).usedAt).toBeInstanceOf(Date);
    const next = await addresses.issue(userId);
    expect(next.address).not.toBe(address);
    expect((await ctx.prisma.depositAddress.findUniqueOrThrow({ where: { address: next.address } })).usedAt).toBeNull();
  });

  it('detects and confirms in one scan an output that is already N deep', async () => {
    const { address } = await newUser();
    const txid = await pay(address, '0.2');
    const [block] = await ctx.mine(N);

    expect(await scan.run()).toMatchObject({ detected: 1, confirmed: 1 });
    expect(await tally()).toEqual({ detected: 1, confirmed: 1, reversed: 0 });
    expect((await ctx.mod.events(depositDetectedV1))[0]?.payload).toMatchObject({ txid, confirmations: N, blockHash: block });
  });

  it('tracks two outputs of one transaction paying two users', async () => {
    const alice = await newUser();
    const bob = await newUser();
    const txid = await ctx.outsideRpc.call('sendmany', ['', { [alice.address]: '0.1', [bob.address]: '0.25' }], z.string());

    await scan.run();
    await ctx.mine(N);
    await scan.run();

    const rows = await ctx.prisma.deposit.findMany({ where: { txid }, orderBy: { amountSats: 'asc' } });
    expect(rows.map((r) => [r.userId, r.address, r.amountSats, r.status])).toEqual([
      [alice.userId, alice.address, 10_000_000n, 'confirmed'],
      [bob.userId, bob.address, 25_000_000n, 'confirmed'],
    ]);
    expect(rows[0]?.vout).not.toBe(rows[1]?.vout);
    const confirmed = (await ctx.mod.events(depositConfirmedV1)).map((e) => e.payload);
    expect(confirmed).toHaveLength(2);
    expect(confirmed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ userId: alice.userId, txid, vout: rows[0]?.vout, amountSats: '10000000' }),
        expect.objectContaining({ userId: bob.userId, txid, vout: rows[1]?.vout, amountSats: '25000000' }),
      ]),
    );
    expect(await count(depositDetectedV1)).toBe(2);
  });

  it('ignores payments to other wallet addresses, the change of its own sends and coinbase outputs', async () => {
    const { address } = await newUser();
    const other = await ctx.gatewayRpc.getNewAddress({ label: 'deposit' });
    await pay(other, '0.3');
    await ctx.gatewayRpc.call('sendtoaddress', [await ctx.outsideRpc.getNewAddress(), '1'], z.string());
    await ctx.gatewayRpc.generateToAddress(1, address);
    await ctx.mine(N);

    expect(await scan.run()).toMatchObject({ detected: 0, confirmed: 0, reversed: 0 });
    expect(await ctx.appended()).toEqual([]);
    expect(await ctx.prisma.deposit.count()).toBe(0);
    expect((await ctx.prisma.depositAddress.findUniqueOrThrow({ where: { address } })).usedAt).toBeNull();
    expect(await cursor()).not.toBeNull();
  });

  describe('reorgs', () => {
    const confirmedDeposit = async () => {
      const { address } = await newUser();
      const txid = await pay(address, '0.4');
      await ctx.mine(N);
      await scan.run();
      expect(await deposit(txid)).toMatchObject({ status: 'confirmed' });
      return txid;
    };

    it('reverses a confirmed deposit whose transaction a reorg drops, once', async () => {
      const txid = await confirmedDeposit();
      ctx.node.controls.reorg({ depth: N, drop: [txid] });

      expect(await scan.run()).toMatchObject({ reversed: 1 });
      expect((await ctx.mod.events(depositReversedV1)).map((e) => e.payload)).toEqual([expect.objectContaining({ txid, reason: 'reorg', amountSats: '40000000' })]);
      // Core keeps it as an unconfirmed wallet transaction: pending again, without a block.
      expect(await deposit(txid)).toMatchObject({ status: 'detected', confirmations: 0, blockHash: null, blockHeight: null, confirmedAt: null });

      await ctx.mine(N);
      await scan.run();
      await scan.run();
      expect(await tally()).toEqual({ detected: 2, confirmed: 1, reversed: 1 });
    });

    it('reverses a confirmed deposit that a reorg double-spends, once, and it stays reversed', async () => {
      const txid = await confirmedDeposit();
      ctx.node.controls.reorg({ depth: N, doubleSpend: [txid], wallet: OUTSIDE_WALLET });

      await scan.run();
      await ctx.mine(2);
      await scan.run();
      expect(await tally()).toEqual({ detected: 1, confirmed: 1, reversed: 1 });
      expect((await ctx.mod.events(depositReversedV1))[0]?.payload).toMatchObject({ txid, reason: 'conflict' });
      const row = await deposit(txid);
      expect(row).toMatchObject({ status: 'reversed', reversedAt: expect.any(Date), confirmedAt: null });
      expect(row.confirmations).toBeLessThan(0);
    });

    it('announces and confirms again a reversed deposit that is mined again', async () => {
      const txid = await confirmedDeposit();
      ctx.node.controls.reorg({ depth: N, exclude: [txid] });

      expect(await scan.run()).toMatchObject({ reversed: 1, detected: 1, confirmed: 0 });
      await ctx.mine(N - 1);
      await scan.run();
      expect(await count(depositConfirmedV1)).toBe(1);

      await ctx.mine(1);
      expect(await scan.run()).toMatchObject({ confirmed: 1 });
      expect(await tally()).toEqual({ detected: 2, confirmed: 2, reversed: 1 });
      const height = await ctx.gatewayRpc.getBlockCount();
      expect((await ctx.mod.events(depositConfirmedV1))[1]?.payload).toMatchObject({ txid, blockHeight: height - N + 1, confirmations: N });
      expect((await deposit(txid)).blockHash).toBe(await ctx.gatewayRpc.getBlockHash(height - N + 1));
    });

    it('keeps a confirmed deposit that the new chain holds at least N deep, with its new block', async () => {
      const txid = await confirmedDeposit();
      const [newBlock] = ctx.node.controls.reorg({ depth: N });

      expect(await scan.run()).toMatchObject({ detected: 0, confirmed: 0, reversed: 0 });
      expect(await deposit(txid)).toMatchObject({ status: 'confirmed', blockHash: newBlock, confirmations: N + 1 });
      expect(await tally()).toEqual({ detected: 1, confirmed: 1, reversed: 0 });
    });

    it('lets a detected deposit lose its block without an event', async () => {
      const { address } = await newUser();
      const txid = await pay(address, '0.4');
      await ctx.mine(1);
      await scan.run();
      ctx.node.controls.reorg({ depth: 1, drop: [txid] });

      expect(await scan.run()).toMatchObject({ detected: 0, confirmed: 0, reversed: 0 });
      expect(await deposit(txid)).toMatchObject({ status: 'detected', confirmations: 0, blockHash: null });
      expect(await tally()).toEqual({ detected: 1, confirmed: 0, reversed: 0 });
    });

    it('catches a reorg of a confirmed deposit with gettransaction when listsinceblock does not report it', async () => {
      const txid = await confirmedDeposit();
      const pruned = new DepositScan(ctx.prisma, new PrunedListingRpc(ctx.options.rpc), ctx.options, ctx.mod.get(DepositPublisher));
      ctx.node.controls.reorg({ depth: N, doubleSpend: [txid], wallet: OUTSIDE_WALLET });

      expect(await pruned.run()).toMatchObject({ reversed: 1 });
      expect((await ctx.mod.events(depositReversedV1))[0]?.payload).toMatchObject({ txid, reason: 'conflict' });
    });

    it('does not reverse confirmed deposits when the required confirmations are raised', async () => {
      const txid = await confirmedDeposit();
      const stricter = { ...ctx.options, deposits: { confirmations: N + 3, scanIntervalMs: 60_000, tipPollMs: 1_000 } };
      const raised = new DepositScan(ctx.prisma, ctx.gatewayRpc, stricter, ctx.mod.get(DepositPublisher));

      await ctx.mine(1);
      expect(await raised.run()).toMatchObject({ detected: 0, confirmed: 0, reversed: 0 });
      expect(await deposit(txid)).toMatchObject({ status: 'confirmed', confirmations: N + 1 });
    });

    it('re-reads confirmed deposits only on new blocks and only until they are well past N', async () => {
      await confirmedDeposit();
      const getTransaction = vi.spyOn(ctx.gatewayRpc, 'getTransaction');

      await scan.run();
      await scan.run();
      expect(getTransaction).not.toHaveBeenCalled();

      for (let i = 0; i < 12; i++) {
        await ctx.mine(1);
        await scan.run();
      }
      const calls = getTransaction.mock.calls.length;
      expect(calls).toBeGreaterThan(0);
      expect(calls).toBeLessThanOrEqual(6);
      expect(await tally()).toEqual({ detected: 1, confirmed: 1, reversed: 0 });
    });
  });

  // Like Core, the node lists no receive of a conflicted transaction (ListTransactions at a minimum depth of 0).
  describe('double-spend of a mempool deposit', () => {
    it('reverses the announced deposit with reason conflict, once', async () => {
      const { address } = await newUser();
      const txid = await pay(address, '0.7');
      await scan.run();
      ctx.node.controls.doubleSpend(txid, { wallet: OUTSIDE_WALLET });

      expect(await scan.run()).toMatchObject({ reversed: 1 });
      await ctx.mine(1);
      await scan.run();
      expect(await tally()).toEqual({ detected: 1, confirmed: 0, reversed: 1 });
      expect((await ctx.mod.events(depositReversedV1))[0]?.payload).toMatchObject({ txid, reason: 'conflict', amountSats: '70000000' });
      expect(await deposit(txid)).toMatchObject({ status: 'reversed' });
    });

    it('records nothing for a deposit double-spent before any scan saw it', async () => {
      const { address } = await newUser();
      const txid = await pay(address, '0.7');
      ctx.node.controls.doubleSpend(txid, { wallet: OUTSIDE_WALLET });

      await scan.run();
      expect(await ctx.appended()).toEqual([]);
      expect(await ctx.prisma.deposit.count()).toBe(0);
    });
  });

  describe('failures', () => {
    it('changes nothing when the node is down, and catches up without duplicates once it is back', async () => {
      const { address } = await newUser();
      const txid = await pay(address, '0.1');
      await scan.run();
      ctx.node.controls.mine(N);
      await ctx.node.controls.down();

      const before = await snapshot();
      await expect(scan.run()).rejects.toBeInstanceOf(BitcoinRpcTransportError);
      expect(await snapshot()).toEqual(before);

      await ctx.node.controls.up();
      expect(await scan.run()).toMatchObject({ detected: 0, confirmed: 1 });
      await scan.run();
      expect(await tally()).toEqual({ detected: 1, confirmed: 1, reversed: 0 });
      expect(await deposit(txid)).toMatchObject({ status: 'confirmed' });
    });

    it('changes nothing when the node fails after listsinceblock answered', async () => {
      const { address } = await newUser();
      await pay(address, '0.1');
      await ctx.mine(N);
      ctx.node.controls.dropMethod('getblock');

      const before = await snapshot();
      await expect(scan.run()).rejects.toBeInstanceOf(BitcoinRpcTransportError);
      expect(await snapshot()).toEqual(before);

      ctx.node.controls.reset();
      await scan.run();
      expect(await tally()).toEqual({ detected: 1, confirmed: 1, reversed: 0 });
    });

    it('rolls back the rows and the cursor when an event cannot be appended', async () => {
      const alice = await newUser();
      const bob = await newUser();
      await ctx.outsideRpc.call('sendmany', ['', { [alice.address]: '0.1', [bob.address]: '0.2' }], z.string());
      await scan.run();
      await ctx.mine(N);
      const outbox = ctx.mod.get(Outbox);
      let appended = 0;
      const failing = {
        append: (...args: Parameters<Outbox['append']>) => (++appended === 2 ? Promise.reject(new Error('outbox unavailable')) : outbox.append(...args)),
      } as Outbox;

      const before = await snapshot();
      await expect(new DepositScan(ctx.prisma, ctx.gatewayRpc, ctx.options, new DepositPublisher(failing)).run()).rejects.toThrow('outbox unavailable');
      expect(await snapshot()).toEqual(before);

      await scan.run();
      expect(await count(depositConfirmedV1)).toBe(2);
      expect(await count(depositDetectedV1)).toBe(2);
    });

    it('lets only one of two overlapping scans commit, with or without a cursor yet', async () => {
      const overlapping = async () => (await Promise.allSettled([scan.run(), scan.run()])).map((r) => r.status).sort();
      const { address } = await newUser();
      await pay(address, '0.1');
      ctx.node.controls.delay(300);
      expect(await overlapping()).toEqual(['fulfilled', 'rejected']);

      await ctx.node.controls.mine(N);
      expect(await overlapping()).toEqual(['fulfilled', 'rejected']);
      ctx.node.controls.reset();
      await scan.run();
      expect(await tally()).toEqual({ detected: 1, confirmed: 1, reversed: 0 });
    });

    it('lists the whole wallet when the node no longer knows the cursor block, without repeating events', async () => {
      const { address } = await newUser();
      const txid = await pay(address, '0.1');
      await ctx.mine(N);
      await scan.run();
      await ctx.prisma.chainCursor.update({ where: { name: 'deposits' }, data: { blockHash: 'ab'.repeat(32) } });

      await scan.run();
      expect(await tally()).toEqual({ detected: 1, confirmed: 1, reversed: 0 });
      const tip = await ctx.gatewayRpc.getBlockCount();
      expect(await cursor()).toMatchObject({ blockHash: await ctx.gatewayRpc.getBlockHash(tip - N + 1), blockHeight: tip - N + 1 });
      expect(await deposit(txid)).toMatchObject({ status: 'confirmed' });
    });
  });
});
