import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { WithdrawalDestinations } from '../src/features/addresses/withdrawal-destinations';
import { FeeEstimateUnavailableError } from '../src/features/fees/fee-estimate.errors';
import { WithdrawalFeeEstimator } from '../src/features/fees/withdrawal-fee.estimator';
import { WalletProbe } from '../src/features/wallet/wallet-probe';
import { WithdrawalSend } from '../src/features/withdrawals/withdrawal-send';
import { startBitcoinModuleTest, type BitcoinModuleTest, type BitcoinTestOptions } from './bitcoin-module-test';

const USER = randomUUID();
const PASSPHRASE = 'correct horse battery staple';
/** Regtest bech32m: witness v2 with a 16-byte program, and pay-to-anchor (v1, program `4e73`). */
const WITNESS_V2 = 'bcrt1zw46h2at4w46h2at4w46h2at4w5wyxft9';
const PAY_TO_ANCHOR = 'bcrt1pfeesnyr2tx';

describe('wallet access and fee policy', () => {
  let ctx: BitcoinModuleTest;

  afterEach(async () => {
    await ctx.close();
  });

  const request = (address: string, amountSats = 100_000n) => ctx.requestWithdrawal({ userId: USER, address, amountSats, maxFeeSats: 100_000n });

  const withdrawal = (id: string) => ctx.prisma.withdrawal.findUniqueOrThrow({ where: { id } });
  const start = (options: BitcoinTestOptions = {}, node: { encryptedPassphrase?: string } = {}) =>
    startBitcoinModuleTest(options, node).then((started) => (ctx = started));

  it('12. unlocks an encrypted wallet only for signing (walletpassphrase, then walletlock), and readiness is clean', async () => {
    await start({ wallet: { passphrase: PASSPHRASE } }, { encryptedPassphrase: PASSPHRASE });
    const id = await request(await ctx.outsideRpc.getNewAddress());
    await ctx.mod.get(WithdrawalSend).run();

    expect((await withdrawal(id)).status).toBe('broadcast');
    expect((await ctx.gatewayRpc.getWalletInfo()).unlocked_until).toBe(0);
    const probe = await ctx.mod.get(WalletProbe).probe();
    expect(probe).toMatchObject({ name: 'bitcoin-wallet', up: true, encrypted: true });
    expect(probe.warning).toBeUndefined();
  });

  it('12. without BITCOIN_WALLET_PASSPHRASE_FILE, readiness says why withdrawals cannot be signed and nothing is sent', async () => {
    await start({}, { encryptedPassphrase: PASSPHRASE });
    expect(await ctx.mod.get(WalletProbe).probe()).toMatchObject({
      up: true,
      encrypted: true,
      warning: expect.stringContaining('BITCOIN_WALLET_PASSPHRASE_FILE is not set'),
    });
    const id = await request(await ctx.outsideRpc.getNewAddress());
    await expect(ctx.mod.get(WithdrawalSend).run()).rejects.toMatchObject({ code: -13 });
    expect(await withdrawal(id)).toMatchObject({ status: 'queued', payoutId: null });
  });

  it('13. without a fee estimate, `refuse` prices nothing and sends nothing new; readiness warns', async () => {
    await start({ fees: { confTarget: 6, noEstimate: { policy: 'refuse' } } });
    ctx.node.controls.setFeeRate(null);
    const estimator = ctx.mod.get(WithdrawalFeeEstimator);
    const address = await ctx.outsideRpc.getNewAddress();
    await expect(estimator.estimate({ address, amountSats: 100_000n })).rejects.toBeInstanceOf(FeeEstimateUnavailableError);
    expect(await estimator.status()).toEqual({ estimated: false, warning: expect.stringContaining('new withdrawals are refused') });

    const id = await request(address);
    await ctx.mod.get(WithdrawalSend).run();
    expect(await withdrawal(id)).toMatchObject({ status: 'queued', failureReason: null });

    ctx.node.controls.setFeeRate(3_000n);
    await ctx.mine(1);
    await ctx.mod.get(WithdrawalSend).run();
    expect((await withdrawal(id)).status).toBe('broadcast');
  });

  it('13. without a fee estimate, `floor` pays the configured rate; the regtest fallback is the default on regtest only', async () => {
    await start({ fees: { confTarget: 6, noEstimate: { policy: 'floor', satPerVb: 7 } } });
    ctx.node.controls.setFeeRate(null);
    const estimate = await ctx.mod.get(WithdrawalFeeEstimator).estimate({ address: await ctx.outsideRpc.getNewAddress(), amountSats: 100_000n });
    expect(estimate).toMatchObject({ feeRateSatPerKvB: 7_000n, estimated: false });
    expect(await ctx.mod.get(WithdrawalFeeEstimator).status()).toMatchObject({ warning: expect.stringContaining('floor rate of 7 sat/vB') });
  });

  it('15. refuses destinations anyone can spend (witness v2–16, pay-to-anchor) unless configured, while still validating them as Core does', async () => {
    await start();
    const destinations = ctx.mod.get(WithdrawalDestinations);
    for (const address of [WITNESS_V2, PAY_TO_ANCHOR]) {
      expect(destinations.check(address)).toMatchObject({ valid: false, reason: 'anyone-can-spend' });
    }
    expect(destinations.check(await ctx.outsideRpc.getNewAddress({ addressType: 'bech32m' }))).toMatchObject({ valid: true, type: 'p2tr' });
    const id = await request(WITNESS_V2);
    expect(await withdrawal(id)).toMatchObject({ status: 'failed', failureReason: 'invalid-address', failureDetail: expect.stringContaining('anyone-can-spend') });

    const allowing = new WithdrawalDestinations(destinations['validator'], { ...ctx.options, withdrawals: { confirmations: 1, sendIntervalMs: 1_000, batchWindowMs: 0, batchMax: 50, allowAnyoneCanSpend: true } });
    expect(allowing.check(WITNESS_V2)).toMatchObject({ valid: true, type: 'witness_unknown' });
  });
});
