import { join } from 'node:path';
import { fromSats, paginate, unwrap } from '@bitro/client';
import { DEPOSIT_CONFIRMATIONS, depositAddress, depositReaches, eventually, expectLedgerOk, requestWithdrawal, System, withdrawalReaches } from '@bitro/system-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismProxy } from './prism';

const DOCUMENT = join(import.meta.dirname, '..', '..', '..', 'docs', 'openapi.json');

let system: System;
let prism: PrismProxy;

beforeAll(async () => {
  system = await System.start();
  prism = await PrismProxy.start(DOCUMENT, system.apiUrl);
  // Every client of the system talks to the API through the proxy.
  system.clientBaseUrl = prism.url;
});

afterAll(async () => {
  await prism?.stop();
  await system?.close();
});

describe('the money flow through the client, checked against the OpenAPI document by Prism', () => {
  it('signs up, redeems a gift card, receives a deposit and withdraws, every request and answer as documented', async () => {
    const user = await system.signup();
    expect(await unwrap(user.client.GET('/v1/me'))).toMatchObject({ id: user.userId, email: user.email });

    // A 10,000 KRW sandbox card at the fixed 140,000,000 KRW/BTC: 7,142 sats.
    const redemption = await unwrap(user.client.POST('/v1/giftcards/redemptions', { body: { brand: 'cultureland', pin: '1111-2222-3333-4444' } }));
    const credited = await eventually(
      async () => {
        const current = await unwrap(user.client.GET('/v1/giftcards/redemptions/{id}', { params: { path: { id: redemption.id } } }));
        return current.state === 'credited' ? current : undefined;
      },
      () => `the redemption was never credited\n${system.logs()}`,
    );
    const listed = [];
    for await (const item of paginate((cursor) => unwrap(user.client.GET('/v1/giftcards/redemptions', { params: { query: { limit: 1, cursor } } })))) listed.push(item.id);
    expect(listed).toEqual([redemption.id]);
    await eventually(async () => (await system.balance(user)).availableSats === fromSats(credited.amountSats ?? 'NaN'), () => `no credit\n${system.logs()}`);

    const txid = await system.send(await depositAddress(system, user), 30_000_000n);
    await depositReaches(system, user, txid, 'detected');
    await system.mine(DEPOSIT_CONFIRMATIONS);
    await depositReaches(system, user, txid, 'confirmed');
    const funded = fromSats(credited.amountSats ?? 'NaN') + 30_000_000n;
    await eventually(async () => (await system.balance(user)).availableSats === funded, () => `no deposit credit\n${system.logs()}`);

    // A refused withdrawal answers a documented problem naming the field.
    const refused = await user.client.POST('/v1/wallet/withdrawals', { body: { address: 'not-an-address', amountSats: '1000000' } });
    expect(refused.response.status).toBe(422);
    expect(refused.error?.errors).toEqual([expect.objectContaining({ in: 'body', pointer: '/address' })]);

    const { withdrawal } = await requestWithdrawal(system, user, 10_000_000n);
    await withdrawalReaches(system, user, withdrawal.id, 'broadcast');
    await system.mine(1);
    const confirmed = await withdrawalReaches(system, user, withdrawal.id, 'confirmed');
    await eventually(
      async () => (await system.balance(user)).availableSats === funded - 10_000_000n - fromSats(confirmed.feeSats ?? 'NaN'),
      () => `the withdrawal was never settled\n${system.logs()}`,
    );
    const history = await unwrap(user.client.GET('/v1/wallet/transactions'));
    expect(history.items.length).toBeGreaterThanOrEqual(3);

    // A session whose access token no longer works: the client refreshes it once (401, refresh) and carries on.
    const refreshToken = user.client.session.refreshToken ?? expect.unreachable('no refresh token');
    const resumed = system.client({ accessToken: 'expired-or-revoked', refreshToken });
    expect(await unwrap(resumed.GET('/v1/wallet/balance'))).toMatchObject({ availableSats: expect.any(String), heldSats: '0' });
    expect(resumed.session.refreshToken).not.toBe(refreshToken);
    expectLedgerOk(system);

    expect(prism.violations(), prism.log()).toEqual([]);
  });

  it('would have seen a violation: a request the document does not allow is reported', async () => {
    // Outside the client on purpose: its types would not let this body through.
    const response = await fetch(`${prism.url}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'nobody@example.com' }) });
    expect(response.status).toBe(400);
    await eventually(async () => prism.violations().length > 0, () => prism.log(), 5_000);
    expect(prism.violations()).toEqual([expect.stringMatching(/^POST \/v1\/auth\/login: Violation: .*password/)]);
  });
});
