import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnchorRefusedError } from '../src/features/anchors/anchor.errors';
import { Anchoring } from '../src/features/anchors/anchoring';
import { startBitcoinModuleTest, type BitcoinModuleTest } from './bitcoin-module-test';

const DATA = `42545241${'01'}${'0'.repeat(14)}2a${'c3'.repeat(32)}`;

describe('anchoring', () => {
  let ctx: BitcoinModuleTest;
  let anchoring: Anchoring;

  beforeAll(async () => {
    ctx = await startBitcoinModuleTest();
    anchoring = ctx.mod.get(Anchoring);
  });
  afterAll(() => ctx?.close());

  const anchorRow = (reference: string) => ctx.prisma.anchor.findUniqueOrThrow({ where: { reference } });
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: unknown) => (error instanceof AnchorRefusedError ? error.reason : error),
    );

  it('keeps an anchor whose broadcast got no answer signed, and sends the same bytes on the repeat', async () => {
    ctx.node.controls.dropMethod('sendrawtransaction', 1);
    expect(await refusal(anchoring.publish('audit-block:1', DATA))).toBe('broadcast-pending');
    const signed = await anchorRow('audit-block:1');
    expect(signed).toMatchObject({ status: 'signed', dataHex: DATA, lastError: expect.any(String) });
    expect(await ctx.gatewayRpc.getRawMempool()).not.toContain(signed.txid);

    expect(await anchoring.publish('audit-block:1', DATA)).toEqual({ reference: 'audit-block:1', txid: signed.txid, status: 'broadcast' });
    expect(await ctx.gatewayRpc.getRawMempool()).toContain(signed.txid);
    expect(await anchorRow('audit-block:1')).toMatchObject({ status: 'broadcast', rawHex: signed.rawHex, lastError: null });
  });

  it('builds a stored anchor again when its inputs were spent meanwhile (no node ever took it)', async () => {
    ctx.node.controls.dropMethod('sendrawtransaction', 1);
    expect(await refusal(anchoring.publish('audit-block:2', DATA))).toBe('broadcast-pending');
    const stale = await anchorRow('audit-block:2');

    // Another spend of its input reaches the node first (as a payout built meanwhile could).
    const [input] = (await ctx.gatewayRpc.decodeRawTransaction(stale.rawHex)).vin;
    const conflict = await ctx.gatewayRpc.createRawTransaction({
      inputs: [{ txid: input.txid ?? '', vout: input.vout ?? 0 }],
      outputs: [{ address: await ctx.outsideRpc.getNewAddress(), amountSats: 100_000n }],
    });
    const funded = await ctx.gatewayRpc.fundRawTransaction(conflict);
    const signedConflict = await ctx.gatewayRpc.signRawTransactionWithWallet(funded.hex);
    await ctx.gatewayRpc.sendRawTransaction(signedConflict.hex);

    const published = await anchoring.publish('audit-block:2', DATA);
    expect(published.txid).not.toBe(stale.txid);
    expect(await ctx.gatewayRpc.getRawMempool()).toContain(published.txid);
    expect(await anchorRow('audit-block:2')).toMatchObject({ status: 'broadcast', txid: published.txid, dataHex: DATA });
  });

  it('reports confirmed once the transaction is in a block', async () => {
    await ctx.mine(1);
    expect((await anchoring.publish('audit-block:1', DATA)).status).toBe('confirmed');
    expect(await anchorRow('audit-block:1')).toMatchObject({ status: 'confirmed', confirmedAt: expect.any(Date) });
  });
});
