import { randomUUID } from 'node:crypto';
import { PriceFeedModule } from '@bitro/price-feed';
import { AUDIT_API, redemptionApprovedV1, USER_API, walletCreditedV1 } from '@bitro/service-api';
import { TestUsers } from '@bitro/service-api/testing';
import { type ModuleTest, RecordingAudit, startModuleTest } from '@bitro/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WalletModule } from '../src';

describe('WalletModule on the module test harness', () => {
  let mod: ModuleTest;

  beforeAll(async () => {
    mod = await startModuleTest({
      module: WalletModule,
      imports: [PriceFeedModule],
      stubs: [
        { provide: USER_API, useValue: new TestUsers() },
        { provide: AUDIT_API, useValue: new RecordingAudit() },
      ],
      http: true,
    });
  });

  afterAll(async () => {
    await mod?.close();
  });

  it('names the other domains’ tokens the wallet injects when the test stubs none', async () => {
    await expect(startModuleTest({ module: WalletModule, imports: [PriceFeedModule] })).rejects.toThrow(
      "WalletModule injects AUDIT_API and USER_API (from other domains' service-api) but the module test has no stub for them: " +
        'pass stubs: [{ provide: AUDIT_API, useValue: ... }, { provide: USER_API, useValue: ... }]',
    );
  });

  it('credits an approved redemption, announces wallet.credited.v1 and shows the balance', async () => {
    const userId = randomUUID();
    const redemptionId = randomUUID();
    const approved = { redemptionId, userId, brand: 'culturelove', faceValueKrw: '50000', feeKrw: '2500', priceKrwPerBtc: '140000000', amountSats: '250000' };

    const credited = await mod
      .scenario()
      .stimulate(() => mod.deliver(redemptionApprovedV1, approved))
      .andWaitForEvent(walletCreditedV1, (payload) => payload.redemptionId === redemptionId);
    expect(credited.payload).toMatchObject({ userId, amountSats: '250000', redemptionId });

    const token = mod.token({ userId });
    const balance = await mod
      .scenario()
      .stimulate(() => undefined)
      .andWaitForStateChange(
        async () => (await mod.request<{ availableSats: string }>('GET', '/v1/wallet/balance', { token })).body,
        (body) => body.availableSats === '250000',
      );
    expect(balance).toMatchObject({ availableSats: '250000' });
  });
});
