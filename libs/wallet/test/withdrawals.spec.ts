import { newEvent } from '@bitro/messaging';
import { randomBytes, randomUUID } from 'node:crypto';
import { depositConfirmedV1, withdrawalFailedV1, withdrawalRequestedV1 } from '@bitro/gateway-contract';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeAddress } from './fake-gateway-server';
import { ref, startWalletTest, type WalletTest } from './wallet-test';

interface WithdrawalBody {
  id: string;
  address: string;
  amountSats: string;
  maxFeeSats: string;
  feeSats: string | null;
  status: string;
  txid: string | null;
  vout: number | null;
  failureReason: string | null;
  createdAt: string;
  broadcastAt: string | null;
  confirmedAt: string | null;
  failedAt: string | null;
}

interface ProblemBody {
  type: string;
  status: number;
  detail: string;
  errors?: Array<{ in: string; pointer: string; message: string }>;
}

let wallet: WalletTest;
const DAILY_LIMIT = 1_000_000n;
const destination = fakeAddress('destination');

beforeAll(async () => {
  wallet = await startWalletTest({ http: true, env: { WITHDRAWAL_DAILY_LIMIT_SATS: String(DAILY_LIMIT), WITHDRAWAL_MIN_SATS: '10000' } });
});

afterAll(async () => {
  await wallet?.close();
});

beforeEach(() => {
  wallet.gateway.mode = 'up';
  wallet.gateway.feeSats = 1_410n;
  wallet.gateway.calls.length = 0;
});

/** A signed-in user with `sats` available. */
async function fundedUser(sats = 5_000_000n): Promise<{ userId: string; token: string }> {
  const user = wallet.signIn();
  await wallet.ledger.credit({ userId: user.userId, amountSats: sats, reference: ref('credit'), description: 'Gift card' });
  return user;
}

const withdraw = <T = WithdrawalBody>(token: string, body: unknown, key: string | null = randomUUID()) =>
  wallet.mod.request<T>('POST', '/v1/wallet/withdrawals', { token, body, headers: key === null ? {} : { 'idempotency-key': key } });

const withdrawalRows = async (userId: string) =>
  (await wallet.mod.pool.query(`SELECT id, status FROM "wallet"."withdrawals" WHERE user_id = $1`, [userId])).rows as Array<{ id: string; status: string }>;

describe('POST /v1/wallet/withdrawals', () => {
  it('holds amount + max fee, records the withdrawal and asks the gateway to pay, in one go', async () => {
    const { userId, token } = await fundedUser(1_000_000n);
    const answer = await withdraw(token, { address: ` ${destination.toUpperCase()} `, amountSats: '100000' });
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({
      address: destination,
      amountSats: '100000',
      // The default max fee: the estimate (1,410) × 200 %.
      maxFeeSats: '2820',
      feeSats: null,
      status: 'requested',
      txid: null,
      vout: null,
      failureReason: null,
      broadcastAt: null,
    });
    expect(wallet.gateway.calls).toEqual([
      { path: '/internal/v1/addresses/validate', body: { address: ` ${destination.toUpperCase()} ` } },
      { path: '/internal/v1/withdrawal-fee-estimates', body: { address: destination, amountSats: '100000' } },
    ]);
    expect(await wallet.ledger.balance(userId)).toMatchObject({ availableSats: 897_180n, heldSats: 102_820n });
    expect(await wallet.announced(withdrawalRequestedV1, userId)).toEqual([
      { withdrawalId: answer.body.id, userId, address: destination, amountSats: '100000', maxFeeSats: '2820' },
    ]);
    const [hold] = (await wallet.ledger.history(userId, { kind: 'hold' })).items;
    expect(hold).toMatchObject({ reference: `withdrawal:${answer.body.id}:hold`, heldDeltaSats: 102_820n });
  });

  it('answers a retry with the same key and body with the first answer again (202), and refuses the key for another body', async () => {
    const { userId, token } = await fundedUser();
    const key = randomUUID();
    const body = { address: destination, amountSats: '50000', maxFeeSats: '5000' };
    const first = await withdraw(token, body, key);
    expect(first.status).toBe(202);
    expect(first.body.maxFeeSats).toBe('5000');

    const again = await withdraw(token, { ...body }, key);
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);

    const reused = await withdraw<ProblemBody>(token, { ...body, amountSats: '50001' }, key);
    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({ type: 'https://bitro.dev/problems/idempotency-key-reused', errors: [{ in: 'header', pointer: '/Idempotency-Key' }] });
    // The key is the user's: another user may use the same one.
    const other = await fundedUser();
    expect((await withdraw(other.token, body, key)).status).toBe(202);

    expect(await withdrawalRows(userId)).toHaveLength(1);
    expect(await wallet.announced(withdrawalRequestedV1, userId)).toHaveLength(1);
    expect(await wallet.ledger.balance(userId)).toMatchObject({ heldSats: 55_000n });
  });

  it('creates one withdrawal when retries of one request race', async () => {
    const { userId, token } = await fundedUser();
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 6 }, () => withdraw(token, { address: destination, amountSats: '20000' }, key)));
    // A retry while the first request runs is told 409 idempotency-key-in-use; one after it gets its answer again (ADR 23).
    expect(answers.filter((answer) => answer.status === 202 && answer.headers.get('idempotent-replayed') === null)).toHaveLength(1);
    expect(answers.every((answer) => answer.status === 202 || answer.status === 409)).toBe(true);
    expect(new Set(answers.filter((answer) => answer.status === 202).map((answer) => answer.body.id)).size).toBe(1);
    expect(await withdrawalRows(userId)).toHaveLength(1);
    expect(await wallet.ledger.balance(userId)).toMatchObject({ heldSats: 22_820n });
  });

  it('validates the header and the body first: 400 naming each field', async () => {
    const { token } = await fundedUser();
    const missingKey = await withdraw<ProblemBody>(token, { address: destination, amountSats: '20000' }, null);
    expect(missingKey.status).toBe(400);
    expect(missingKey.body.errors).toEqual([{ in: 'header', pointer: '/Idempotency-Key', message: 'is required' }]);
    expect((await withdraw<ProblemBody>(token, { address: destination, amountSats: '20000' }, 'has space')).body.errors).toEqual([
      { in: 'header', pointer: '/Idempotency-Key', message: 'must be 1-255 visible ASCII characters' },
    ]);

    const bad = await withdraw<ProblemBody>(token, { amountSats: '1.5', maxFeeSats: -1, extra: true });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((error) => error.pointer).sort()).toEqual(['/address', '/amountSats', '/extra', '/maxFeeSats']);
    expect((await withdraw<ProblemBody>(token, { address: destination, amountSats: '0' })).status).toBe(400);
    expect(wallet.gateway.calls).toEqual([]);
  });

  it('refuses an amount below the minimum before asking the gateway anything', async () => {
    const { userId, token } = await fundedUser();
    const answer = await withdraw<ProblemBody>(token, { address: destination, amountSats: '9999' });
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({
      type: 'https://bitro.dev/problems/amount-too-small',
      errors: [{ in: 'body', pointer: '/amountSats', message: 'must be at least 10000 sats' }],
    });
    expect(wallet.gateway.calls).toEqual([]);
    expect(await withdrawalRows(userId)).toEqual([]);
  });

  it('refuses an address the gateway does not accept, naming /address and the reason', async () => {
    const { userId, token } = await fundedUser();
    const answer = await withdraw<ProblemBody>(token, { address: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', amountSats: '20000' });
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({
      type: 'https://bitro.dev/problems/invalid-address',
      errors: [{ in: 'body', pointer: '/address', message: 'Address is for another network than regtest' }],
    });
    expect(answer.body.detail).toContain('wrong-network');
    expect(await withdrawalRows(userId)).toEqual([]);
    expect(await wallet.ledger.balance(userId)).toMatchObject({ heldSats: 0n });
  });

  it('refuses a max fee below the current estimate', async () => {
    const { userId, token } = await fundedUser();
    wallet.gateway.feeSats = 3_000n;
    const answer = await withdraw<ProblemBody>(token, { address: destination, amountSats: '20000', maxFeeSats: '2999' });
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ type: 'https://bitro.dev/problems/max-fee-too-low', errors: [{ pointer: '/maxFeeSats', message: 'must be at least 3000' }] });
    expect((await withdraw(token, { address: destination, amountSats: '20000', maxFeeSats: '3000' })).body).toMatchObject({ maxFeeSats: '3000' });
    expect(await withdrawalRows(userId)).toHaveLength(1);
  });

  it('refuses more than the balance covers with insufficient-funds, holding nothing', async () => {
    const { userId, token } = await fundedUser(50_000n);
    const answer = await withdraw<ProblemBody>(token, { address: destination, amountSats: '48600' });
    expect(answer.status).toBe(422);
    expect(answer.body.type).toBe('https://bitro.dev/problems/insufficient-funds');
    expect(answer.body.detail).toBe('This withdrawal needs 51420 sats available (48600 sats plus up to 2820 sats network fee); you have 50000 sats.');
    expect(await withdrawalRows(userId)).toEqual([]);
    expect(await wallet.announced(withdrawalRequestedV1, userId)).toEqual([]);
    expect(await wallet.ledger.balance(userId)).toMatchObject({ availableSats: 50_000n, heldSats: 0n });
    // The same key works once the request fits.
    expect((await withdraw(token, { address: destination, amountSats: '47180' })).status).toBe(202);
  });

  it('keeps each user within the daily limit, failed withdrawals not counted', async () => {
    const { userId, token } = await fundedUser();
    const first = await withdraw(token, { address: destination, amountSats: '600000' });
    expect(first.status).toBe(202);
    const over = await withdraw<ProblemBody>(token, { address: destination, amountSats: '400001' });
    expect(over.status).toBe(422);
    expect(over.body).toMatchObject({ type: 'https://bitro.dev/problems/daily-limit-exceeded', errors: [{ pointer: '/amountSats', message: 'must be at most 400000 today' }] });
    expect(over.body.detail).toContain('You can withdraw 400000 more sats today');

    await wallet.mod.deliver(withdrawalFailedV1, { withdrawalId: first.body.id, userId, reason: 'fee-too-high', detail: 'test' });
    expect((await withdraw(token, { address: destination, amountSats: '1000000' })).status).toBe(202);
    expect((await withdraw<ProblemBody>(token, { address: destination, amountSats: '10000' })).body.type).toBe('https://bitro.dev/problems/daily-limit-exceeded');
  });

  it('lets exactly as many concurrent requests through as the daily limit allows', async () => {
    const { userId, token } = await fundedUser();
    const answers = await Promise.all(Array.from({ length: 12 }, () => withdraw<WithdrawalBody & ProblemBody>(token, { address: destination, amountSats: '300000' })));
    expect(answers.filter((answer) => answer.status === 202)).toHaveLength(3);
    const refused = answers.filter((answer) => answer.status !== 202);
    expect(refused).toHaveLength(9);
    for (const answer of refused) expect(answer.body.type).toBe('https://bitro.dev/problems/daily-limit-exceeded');
    expect(await withdrawalRows(userId)).toHaveLength(3);
    expect(await wallet.ledger.balance(userId)).toMatchObject({ heldSats: 3n * 302_820n });
  });

  it('answers 503 with Retry-After and holds nothing when the gateway is down or too slow', async () => {
    const { userId, token } = await fundedUser();
    for (const mode of ['down', 'hang'] as const) {
      wallet.gateway.mode = mode;
      const answer = await withdraw<ProblemBody>(token, { address: destination, amountSats: '20000' });
      expect(answer.status).toBe(503);
      expect(answer.body.type).toBe('https://bitro.dev/problems/gateway-unavailable');
      expect(answer.headers.get('retry-after')).toBe('5');
    }
    expect(await withdrawalRows(userId)).toEqual([]);
    expect(await wallet.ledger.balance(userId)).toMatchObject({ availableSats: 5_000_000n, heldSats: 0n });
    expect(wallet.gateway.unsigned).toBe(0);
  });
});

describe('GET /v1/wallet/withdrawals', () => {
  it("shows a user's own withdrawals, one or a page at a time, and nobody else's", async () => {
    const { token } = await fundedUser();
    const created: WithdrawalBody[] = [];
    for (const amountSats of ['10000', '20000', '30000']) created.push((await withdraw(token, { address: destination, amountSats })).body);

    const one = await wallet.mod.request<WithdrawalBody>('GET', `/v1/wallet/withdrawals/${created[1]?.id}`, { token });
    expect(one).toMatchObject({ status: 200, body: created[1] });
    const stranger = wallet.signIn();
    const hidden = await wallet.mod.request<ProblemBody>('GET', `/v1/wallet/withdrawals/${created[1]?.id}`, { token: stranger.token });
    expect(hidden.status).toBe(404);
    expect(hidden.body.type).toBe('https://bitro.dev/problems/withdrawal-not-found');

    type Page = { items: WithdrawalBody[]; nextCursor: string | null };
    const first = await wallet.mod.request<Page>('GET', '/v1/wallet/withdrawals?limit=2', { token });
    expect(first.body.items.map((item) => item.amountSats)).toEqual(['30000', '20000']);
    const rest = await wallet.mod.request<Page>('GET', `/v1/wallet/withdrawals?limit=2&cursor=${first.body.nextCursor}`, { token });
    expect(rest.body).toEqual({ items: [created[0]], nextCursor: null });
    expect((await wallet.mod.request<Page>('GET', '/v1/wallet/withdrawals', { token: stranger.token })).body).toEqual({ items: [], nextCursor: null });
    expect((await wallet.mod.request('GET', '/v1/wallet/withdrawals?cursor=nope', { token })).status).toBe(400);
    expect((await wallet.mod.request('GET', '/v1/wallet/withdrawals')).status).toBe(401);
  });
});

describe('deposits over HTTP', () => {
  it("answers the user's deposit address from the gateway", async () => {
    const { userId, token } = wallet.signIn();
    const answer = await wallet.mod.request('POST', '/v1/wallet/deposit-address', { token });
    expect(answer).toMatchObject({ status: 200, body: { address: fakeAddress(userId), type: 'p2wpkh', network: 'regtest' } });
    expect(wallet.gateway.calls).toEqual([{ path: '/internal/v1/deposit-addresses', body: { userId } }]);
    wallet.gateway.mode = 'down';
    const down = await wallet.mod.request<ProblemBody>('POST', '/v1/wallet/deposit-address', { token });
    expect(down.status).toBe(503);
    expect(down.body.type).toBe('https://bitro.dev/problems/gateway-unavailable');
    expect(down.headers.get('retry-after')).toBe('5');
  });

  it("lists the user's deposits newest first, a page at a time", async () => {
    const { userId, token } = wallet.signIn();
    const address = fakeAddress(userId);
    const txids = [0, 1, 2].map(() => randomBytes(32).toString('hex'));
    for (const [i, txid] of txids.entries()) {
      const payload = { userId, address, txid, vout: i, amountSats: `${(i + 1) * 10_000}`, confirmations: 1, blockHash: randomBytes(32).toString('hex'), blockHeight: 200 + i };
      await wallet.mod.deliver(newEvent(depositConfirmedV1, payload, new Date(Date.now() - (3 - i) * 1000)));
    }
    type Page = { items: Array<Record<string, unknown>>; nextCursor: string | null };
    const first = await wallet.mod.request<Page>('GET', '/v1/wallet/deposits?limit=2', { token });
    expect(first.status).toBe(200);
    expect(first.body.items).toEqual([
      expect.objectContaining({ txid: txids[2], vout: 2, address, amountSats: '30000', status: 'confirmed', confirmations: 1, blockHeight: 202, reversedAt: null }),
      expect.objectContaining({ txid: txids[1], amountSats: '20000' }),
    ]);
    const rest = await wallet.mod.request<Page>('GET', `/v1/wallet/deposits?limit=2&cursor=${first.body.nextCursor}`, { token });
    expect(rest.body.items.map((item) => item['txid'])).toEqual([txids[0]]);
    expect(rest.body.nextCursor).toBeNull();
    expect((await wallet.ledger.balance(userId)).availableSats).toBe(60_000n);
  });
});
