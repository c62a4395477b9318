import { toSats, unwrap } from '@bitro/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, fundedUser, GATEWAY_WALLET, OUTSIDE_WALLET, System, type User } from '@bitro/system-testing';

/** Regtest bech32m: witness v2 with a 16-byte program, and pay-to-anchor (witness v1, program `4e73`). */
const WITNESS_V2 = 'bcrt1zw46h2at4w46h2at4w46h2at4w5wyxft9';
const PAY_TO_ANCHOR = 'bcrt1pfeesnyr2tx';

let system: System;
let admin: User;

beforeAll(async () => {
  // The fee policy of a real network (regtest would fall back to a fixed rate), and a reserves check every half second.
  system = await System.start({}, { gatewayEnv: { FEE_NO_ESTIMATE_POLICY: 'refuse', RESERVES_CHECK_INTERVAL_MS: '500' } });
  admin = await system.admin();
});

afterAll(async () => {
  await system?.close();
});

const withdraw = (user: User, address: string) => user.client.POST('/v1/wallet/withdrawals', { body: { address, amountSats: toSats(100_000n) } });

const reserves = () => unwrap(admin.client.GET('/v1/admin/reserves'));

describe("the gateway's policies, through bitro-api", () => {
  it('refuses destinations anyone can spend (witness v2, pay-to-anchor) with 422 naming /address', async () => {
    const user = await system.signup();
    for (const address of [WITNESS_V2, PAY_TO_ANCHOR]) {
      const refused = await withdraw(user, address);
      expect(refused.response.status, JSON.stringify(refused.error)).toBe(422);
      expect(refused.error).toMatchObject({ type: 'https://bitro.dev/problems/invalid-address', detail: expect.stringContaining('(anyone-can-spend)') });
      expect(refused.error?.errors).toEqual([expect.objectContaining({ in: 'body', pointer: '/address' })]);
    }
  });

  it('with FEE_NO_ESTIMATE_POLICY=refuse and no estimate from the node, a new withdrawal answers 503 fee-estimate-unavailable', async () => {
    const user = await system.signup();
    const address = await system.rpc<string>('getnewaddress', [], OUTSIDE_WALLET);
    await system.control('feerate', { satPerKvB: null });
    try {
      const refused = await withdraw(user, address);
      expect(refused.response.status, JSON.stringify(refused.error)).toBe(503);
      expect(refused.error?.type).toBe('https://bitro.dev/problems/fee-estimate-unavailable');
      expect(refused.response.headers.get('retry-after')).toBe('60');
    } finally {
      await system.control('feerate', { satPerKvB: 2_000 });
    }
    // Priced again: the next refusal is the user's empty balance.
    expect((await withdraw(user, address)).error?.type).toBe('https://bitro.dev/problems/insufficient-funds');
  });

  it('reports money taken from the wallet behind its back: payouts pause until an admin acknowledges it (admin-only, audited)', async () => {
    const user = await fundedUser(system, 1_000_000n);
    await eventually(async () => (await reserves()).checks.some((check) => check.status === 'ok'), () => `no reserves check\n${system.logs()}`);
    expect((await user.client.GET('/v1/admin/reserves')).response.status).toBe(403);

    await system.rpc('sendtoaddress', [await system.rpc<string>('getnewaddress', [], OUTSIDE_WALLET), 1], GATEWAY_WALLET);
    await system.mine(1);
    await eventually(async () => (await reserves()).paused !== null, () => `no mismatch found\n${system.logs()}`);
    const report = await reserves();
    expect(report.checks[0]).toMatchObject({ status: 'mismatch', acknowledgedBy: null });
    expect(BigInt(report.paused?.differenceSats ?? '0')).toBeLessThan(-100_000_000n); // 1 BTC and its fee

    expect((await user.client.POST('/v1/admin/reserves/acknowledge', { body: { note: 'mine' } })).response.status).toBe(403);
    const acknowledged = await admin.client.POST('/v1/admin/reserves/acknowledge', { body: { note: 'Test sweep to cold storage' } });
    expect(acknowledged.response.status, JSON.stringify(acknowledged.error)).toBe(200);
    expect(acknowledged.data?.acknowledgedChecks).toBeGreaterThan(0);
    expect((await reserves()).paused).toBeNull();
    const { rows } = await system.apiPool.query<{ actor: string }>(
      `SELECT payload->>'actorId' AS actor FROM "audit"."records" WHERE type = 'admin.action' AND payload->>'action' = 'reserves.acknowledge'`,
    );
    expect(rows).toEqual([{ actor: admin.userId }]);
  });
});
