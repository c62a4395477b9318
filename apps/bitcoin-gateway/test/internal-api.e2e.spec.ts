import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes, startTestGateway, type TestGateway } from './test-gateway';

// A valid mainnet P2WPKH address (BIP-173 test vector) and a regtest one.
const MAINNET_ADDRESS = 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4';
const REGTEST_ADDRESS = 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080';

describe('internal API', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(() => gateway?.close());

  describe('deposit addresses', () => {
    it("issues a regtest bech32 address of the node's wallet, the same one again for the same user", async () => {
      const userId = randomUUID();
      const first = await gateway.post<{ address: string }>(routes.depositAddresses, { userId });
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ userId, address: expect.stringMatching(/^bcrt1q[02-9ac-hj-np-z]{38}$/), type: 'p2wpkh', network: 'regtest' });

      const info = (await gateway.rpc('getaddressinfo', [first.body.address])) as { ismine: boolean };
      expect(info.ismine).toBe(true);

      const again = await gateway.post(routes.depositAddresses, { userId });
      expect(again.body).toEqual(first.body);

      const rows = await gateway.query('SELECT user_id, address, network, type, used_at FROM "gateway"."deposit_addresses" WHERE user_id = $1', [userId]);
      expect(rows).toEqual([{ user_id: userId, address: first.body.address, network: 'regtest', type: 'p2wpkh', used_at: null }]);
    });

    it('gives two users different addresses, and concurrent calls of one user a single address', async () => {
      const [alice, bob] = [randomUUID(), randomUUID()];
      const answers = await Promise.all([alice, alice, alice, bob].map((userId) => gateway.post<{ address: string }>(routes.depositAddresses, { userId })));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
      expect(new Set(answers.slice(0, 3).map((a) => a.body.address)).size).toBe(1);
      expect(answers[3].body.address).not.toBe(answers[0].body.address);
      const rows = await gateway.query('SELECT count(*)::int AS n FROM "gateway"."deposit_addresses" WHERE user_id = ANY($1::uuid[])', [[alice, bob]]);
      expect(rows[0]).toEqual({ n: 2 });
    });

    it('issues a new address once the current one has been marked used', async () => {
      const userId = randomUUID();
      const first = await gateway.post<{ address: string }>(routes.depositAddresses, { userId });
      await gateway.query('UPDATE "gateway"."deposit_addresses" SET used_at = now() WHERE address = $1', [first.body.address]);
      const next = await gateway.post<{ address: string }>(routes.depositAddresses, { userId });
      expect(next.body.address).not.toBe(first.body.address);
    });

    it('refuses a user id that is not a UUID', async () => {
      const response = await gateway.post<{ errors: unknown[] }>(routes.depositAddresses, { userId: 'alice' });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([expect.objectContaining({ in: 'body', pointer: '/userId' })]);
    });
  });

  describe('address validation', () => {
    it('accepts a regtest bech32 address with its type and script', async () => {
      const response = await gateway.post(routes.validate, { address: ` ${REGTEST_ADDRESS.toUpperCase()} ` });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        valid: true,
        address: REGTEST_ADDRESS,
        type: 'p2wpkh',
        scriptPubKeyHex: '0014751e76e8199196d454941c45d1b3a323f1433bd6',
      });
    });

    it('answers valid: false with the reason for a mainnet address on regtest', async () => {
      const response = await gateway.post(routes.validate, { address: MAINNET_ADDRESS });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ valid: false, reason: 'wrong-network', message: expect.stringContaining('"bc"') });
    });

    it('answers valid: false for garbage', async () => {
      const response = await gateway.post(routes.validate, { address: 'not an address' });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ valid: false, reason: 'invalid-encoding', message: expect.any(String) });
    });
  });

  describe('withdrawal fee estimates', () => {
    it("uses the node's estimate for a 141 vB P2WPKH withdrawal", async () => {
      gateway.node.controls.setFeeRate(25_000n);
      const response = await gateway.post(routes.fee, { address: REGTEST_ADDRESS, amountSats: '100000' });
      expect(response.status).toBe(200);
      // 25 sat/vB × 141 vB; the node echoes the target (at least 2).
      expect(response.body).toEqual({ feeSats: '3525', feeRateSatPerKvB: '25000', confTarget: 6 });

      const taproot = await gateway.post(routes.fee, { address: 'bcrt1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqc8gma6', amountSats: '1', confTarget: 2 });
      expect(taproot.body).toEqual({ feeSats: '3825', feeRateSatPerKvB: '25000', confTarget: 2 });
    });

    it('falls back to FEE_FALLBACK_SAT_PER_VB when the node has no estimate', async () => {
      gateway.node.controls.setFeeRate(null);
      const response = await gateway.post(routes.fee, { address: REGTEST_ADDRESS, amountSats: '100000', confTarget: 3 });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ feeSats: '1410', feeRateSatPerKvB: '10000', confTarget: 3 });
    });

    it('refuses an address that is not valid on the network', async () => {
      const response = await gateway.post<{ type: string; errors: unknown[] }>(routes.fee, { address: MAINNET_ADDRESS, amountSats: '100000' });
      expect(response.status).toBe(400);
      expect(response.body.type).toBe('https://bitro.dev/problems/invalid-address');
      expect(response.body.errors).toEqual([expect.objectContaining({ pointer: '/address' })]);
    });

    it('answers 503 problem+json while the node cannot answer', async () => {
      gateway.node.controls.warmup(true);
      try {
        const response = await gateway.post(routes.fee, { address: REGTEST_ADDRESS, amountSats: '100000' });
        expect(response.status).toBe(503);
        expect(response.body).toMatchObject({ type: 'https://bitro.dev/problems/bitcoin-node-unavailable' });
      } finally {
        gateway.node.controls.warmup(false);
      }
    });
  });
});
