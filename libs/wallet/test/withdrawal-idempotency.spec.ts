import { createHash, randomUUID } from 'node:crypto';
import { withdrawalFailedV1, withdrawalRequestedV1 } from '@bitro/gateway-contract';
import { requestFingerprint } from '@bitro/idempotency';
import { PRICE_FEED } from '@bitro/price-feed';
import { AUDIT_API, USER_API } from '@bitro/service-api';
import { TestUsers } from '@bitro/service-api/testing';
import { type ModuleTest, RecordingAudit, startModuleTest } from '@bitro/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LedgerHistory } from '../src/features/ledger/ledger-history';
import { LedgerService } from '../src/features/ledger/ledger.service';
import { withdrawalRequestLeaseMs } from '../src/features/withdrawals/withdrawal-requests';
import { IdempotencyKeys } from '../src/persistence/idempotency-keys';
import { WalletPrisma } from '../src/persistence/wallet-prisma';
import { WalletModule } from '../src/wallet.module';
import { FAKE_GATEWAY_SECRET, fakeAddress, type FakeGateway, startFakeGateway } from './fake-gateway-server';

// POST /v1/wallet/withdrawals under the one Idempotency-Key mechanism of @bitro/idempotency (ADR 23): what is kept
// for a key and given again, what is not, and the keys of withdrawals requested before the wallet adopted it.

interface WithdrawalBody {
  id: string;
  status: string;
  amountSats: string;
}

interface ProblemBody {
  type: string;
  status: number;
  detail: string;
  errors?: Array<{ in: string; pointer: string; message: string }>;
}

const GATEWAY_TIMEOUT_MS = 1_500;
const DAILY_LIMIT = 1_000_000n;
const destination = fakeAddress('idempotency-destination');
const problem = (code: string) => `https://bitro.dev/problems/${code}`;
/** A problem answer but for its request id, which is each request's own. */
const sameProblem = ({ requestId: _requestId, ...answer }: ProblemBody & { requestId?: string }) => answer;

let mod: ModuleTest;
let gateway: FakeGateway;
const users = new TestUsers();

beforeAll(async () => {
  gateway = await startFakeGateway();
  mod = await startModuleTest({
    module: WalletModule,
    stubs: [
      { provide: USER_API, useValue: users },
      { provide: AUDIT_API, useValue: new RecordingAudit() },
      { provide: PRICE_FEED, useValue: { currentPrice: async () => ({ krwPerBtc: 140_000_000n, asOf: new Date(), source: 'test' }) } },
    ],
    env: {
      GATEWAY_URL: gateway.url,
      GATEWAY_HMAC_SECRET: FAKE_GATEWAY_SECRET,
      GATEWAY_TIMEOUT_MS: String(GATEWAY_TIMEOUT_MS),
      WITHDRAWAL_DAILY_LIMIT_SATS: String(DAILY_LIMIT),
      WITHDRAWAL_MIN_SATS: '10000',
    },
    http: true,
  });
});

afterAll(async () => {
  try {
    await mod?.close();
  } finally {
    await gateway?.close();
  }
});

beforeEach(() => {
  gateway.mode = 'up';
  gateway.feeSats = 1_410n;
  gateway.calls.length = 0;
});

async function credit(userId: string, sats: bigint): Promise<void> {
  const ledger = mod.get(LedgerService);
  await mod.get(WalletPrisma).transaction((tx) => ledger.post(tx, { kind: 'credit', userId, amountSats: sats, reference: `credit:${randomUUID()}`, description: 'Gift card' }));
}

/** A signed-in user with `sats` available. */
async function fundedUser(sats = 5_000_000n): Promise<{ userId: string; token: string }> {
  const userId = randomUUID();
  await credit(userId, sats);
  return { userId, token: mod.token({ userId }) };
}

const withdraw = <T = WithdrawalBody>(token: string, body: unknown, key: string, headers: Record<string, string> = {}) =>
  mod.request<T>('POST', '/v1/wallet/withdrawals', { token, body, headers: { 'idempotency-key': key, ...headers } });

const withdrawalsOf = async (userId: string) =>
  (await mod.pool.query<{ id: string; status: string }>(`SELECT id, status::text AS status FROM "wallet"."withdrawals" WHERE user_id = $1`, [userId])).rows;

const keyRowOf = async (userId: string, key: string) =>
  (
    await mod.pool.query<{ request_hash: string; withdrawal_id: string | null; response_status: number | null }>(
      `SELECT request_hash, withdrawal_id, response_status FROM "wallet"."idempotency_keys" WHERE user_id = $1 AND key = $2`,
      [userId, key],
    )
  ).rows[0];

/** As if the request that claimed the key had died `ms` ago, its claim unanswered. */
const abandon = (userId: string, key: string, ms: number) =>
  mod.pool.query(
    `UPDATE "wallet"."idempotency_keys" SET response_status = NULL, response_body = NULL, completed_at = NULL, claimed_at = now() - make_interval(secs => $3::double precision / 1000)
     WHERE user_id = $1 AND key = $2`,
    [userId, key, ms],
  );

const leaseMs = () => withdrawalRequestLeaseMs({ GATEWAY_TIMEOUT_MS });

describe('answers kept for a key', () => {
  it('gives a retry the first 202 and body again, as first answered, with Idempotent-Replayed', async () => {
    const { userId, token } = await fundedUser();
    const key = randomUUID();
    const body = { address: destination, amountSats: '40000' };
    const first = await withdraw(token, body, key);
    expect(first.status).toBe(202);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(await keyRowOf(userId, key)).toMatchObject({ withdrawal_id: first.body.id, response_status: 202 });

    await mod.deliver(withdrawalFailedV1, { withdrawalId: first.body.id, userId, reason: 'fee-too-high', detail: 'test' });
    const again = await withdraw(token, { amountSats: '40000', address: destination }, key);
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    // The stored answer, not the withdrawal as it is now (GET shows that).
    expect(again.body).toEqual(first.body);
    expect((await mod.request<WithdrawalBody>('GET', `/v1/wallet/withdrawals/${first.body.id}`, { token })).body.status).toBe('failed');
    expect(await withdrawalsOf(userId)).toHaveLength(1);
    expect(gateway.calls).toHaveLength(2);
  });

  it('keeps a 422 for the key: the retry is refused again after the balance grew; a new key runs', async () => {
    const { userId, token } = await fundedUser(30_000n);
    const key = randomUUID();
    const body = { address: destination, amountSats: '40000' };
    const refused = await withdraw<ProblemBody>(token, body, key);
    expect(refused.status).toBe(422);
    expect(refused.body.type).toBe(problem('insufficient-funds'));
    expect(await keyRowOf(userId, key)).toMatchObject({ withdrawal_id: null, response_status: 422 });

    await credit(userId, 1_000_000n);
    gateway.calls.length = 0;
    const again = await withdraw<ProblemBody>(token, body, key);
    expect(again.status).toBe(422);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(sameProblem(again.body)).toEqual(sameProblem(refused.body));
    expect(gateway.calls).toEqual([]);
    expect(await withdrawalsOf(userId)).toEqual([]);

    expect((await withdraw(token, body, randomUUID())).status).toBe(202);
  });

  it('keeps the daily limit refusal for the key, field errors included, even once the limit has room again', async () => {
    const { userId, token } = await fundedUser();
    const first = await withdraw(token, { address: destination, amountSats: '900000' }, randomUUID());
    const key = randomUUID();
    const over = await withdraw<ProblemBody>(token, { address: destination, amountSats: '200000' }, key);
    expect(over.status).toBe(422);
    expect(over.body).toMatchObject({ type: problem('daily-limit-exceeded'), errors: [{ in: 'body', pointer: '/amountSats', message: 'must be at most 100000 today' }] });

    await mod.deliver(withdrawalFailedV1, { withdrawalId: first.body.id, userId, reason: 'fee-too-high', detail: 'test' });
    const again = await withdraw<ProblemBody>(token, { address: destination, amountSats: '200000' }, key);
    expect(again.status).toBe(422);
    expect(sameProblem(again.body)).toEqual(sameProblem(over.body));
    expect((await withdraw(token, { address: destination, amountSats: '200000' }, randomUUID())).status).toBe(202);
  });

  it("keeps a frozen user's 403 for the key once the account is thawed", async () => {
    const { userId, token } = await fundedUser();
    const key = randomUUID();
    const body = { address: destination, amountSats: '20000' };
    users.frozen.add(userId);
    const refused = await withdraw<ProblemBody>(token, body, key);
    expect(refused.status).toBe(403);
    expect(refused.body.type).toBe(problem('account-not-active'));
    users.frozen.delete(userId);
    const again = await withdraw<ProblemBody>(token, body, key);
    expect(again.status).toBe(403);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await withdraw(token, body, randomUUID())).status).toBe(202);
  });

  it('refuses another request under a used key with 422, whatever the first answer was', async () => {
    const { userId, token } = await fundedUser(30_000n);
    const key = randomUUID();
    expect((await withdraw(token, { address: destination, amountSats: '40000' }, key)).status).toBe(422);
    const reused = await withdraw<ProblemBody>(token, { address: destination, amountSats: '20000' }, key);
    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({ type: problem('idempotency-key-reused'), errors: [{ in: 'header', pointer: '/Idempotency-Key' }] });
    expect(await withdrawalsOf(userId)).toEqual([]);
  });
});

describe('answers not kept', () => {
  it('keeps no 503: the key is freed and the retry runs once the gateway is back', async () => {
    const { userId, token } = await fundedUser();
    const key = randomUUID();
    const body = { address: destination, amountSats: '20000' };
    gateway.mode = 'down';
    const down = await withdraw<ProblemBody>(token, body, key);
    expect(down.status).toBe(503);
    expect(down.body.type).toBe(problem('gateway-unavailable'));
    expect(await keyRowOf(userId, key)).toBeUndefined();

    gateway.mode = 'up';
    const retried = await withdraw(token, body, key);
    expect(retried.status).toBe(202);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    expect(await withdrawalsOf(userId)).toEqual([{ id: retried.body.id, status: 'requested' }]);
  });

  it('claims no key for a missing or wrong second factor: the same key with a good code runs, and its retry needs none', async () => {
    const { userId, token } = await fundedUser();
    users.secondFactor.set(userId, '123456');
    const key = randomUUID();
    const body = { address: destination, amountSats: '20000' };
    const missing = await withdraw<ProblemBody>(token, body, key);
    expect(missing.status).toBe(403);
    expect(missing.body).toMatchObject({ type: problem('two-factor-required'), errors: [{ in: 'header', pointer: '/TOTP-Code' }] });
    expect((await withdraw<ProblemBody>(token, body, key, { 'totp-code': '654321' })).body.type).toBe(problem('invalid-two-factor-code'));
    expect(await keyRowOf(userId, key)).toBeUndefined();

    const accepted = await withdraw(token, body, key, { 'totp-code': '123456' });
    expect(accepted.status).toBe(202);
    const again = await withdraw(token, body, key, { 'totp-code': 'used-already' });
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(accepted.body);
  });

  it('answers 409 idempotency-key-in-use with Retry-After while the first request runs; another body is still 422', async () => {
    const { userId, token } = await fundedUser();
    const key = randomUUID();
    const body = { address: destination, amountSats: '20000' };
    gateway.mode = 'hang';
    const first = withdraw<ProblemBody>(token, body, key);
    await expect.poll(() => keyRowOf(userId, key)).toBeDefined();

    const during = await withdraw<ProblemBody>(token, body, key);
    expect(during.status).toBe(409);
    expect(during.body.type).toBe(problem('idempotency-key-in-use'));
    expect(during.headers.get('retry-after')).toBe('1');
    expect((await withdraw<ProblemBody>(token, { ...body, amountSats: '20001' }, key)).body.type).toBe(problem('idempotency-key-reused'));

    // The first times out on the gateway: a 503, not kept.
    expect((await first).status).toBe(503);
    gateway.mode = 'up';
    expect((await withdraw(token, body, key)).status).toBe(202);
    expect(await withdrawalsOf(userId)).toHaveLength(1);
  });

  it('runs concurrent requests under one key once: the others are told it is in use or get its answer', async () => {
    const { userId, token } = await fundedUser();
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 6 }, () => withdraw<WithdrawalBody & ProblemBody>(token, { address: destination, amountSats: '20000' }, key)));
    const accepted = answers.filter((answer) => answer.status === 202);
    expect(accepted.filter((answer) => answer.headers.get('idempotent-replayed') === null)).toHaveLength(1);
    expect(new Set(accepted.map((answer) => answer.body.id)).size).toBe(1);
    for (const answer of answers.filter((answer) => answer.status !== 202)) expect(answer.body.type).toBe(problem('idempotency-key-in-use'));
    expect(await withdrawalsOf(userId)).toHaveLength(1);
    expect(await mod.get(LedgerHistory).balance(userId)).toMatchObject({ heldSats: 22_820n });
  });
});

describe('a request that died', () => {
  it('leaves its key to its request for the lease, then the retry runs the request', async () => {
    const { userId, token } = await fundedUser();
    const key = randomUUID();
    const body = { address: destination, amountSats: '20000' };
    // What a request killed before it created anything leaves: its claim, unanswered.
    const fingerprint = requestFingerprint({ method: 'POST', path: '/v1/wallet/withdrawals', body });
    expect(await mod.get(IdempotencyKeys).claim({ owner: userId, key }, fingerprint)).toBe(true);
    expect((await withdraw<ProblemBody>(token, body, key)).body.type).toBe(problem('idempotency-key-in-use'));
    expect(gateway.calls).toEqual([]);

    await abandon(userId, key, leaseMs() + 1_000);
    const retried = await withdraw(token, body, key);
    expect(retried.status).toBe(202);
    expect(await keyRowOf(userId, key)).toMatchObject({ request_hash: fingerprint, withdrawal_id: retried.body.id, response_status: 202 });
    expect(await withdrawalsOf(userId)).toHaveLength(1);
  });

  it('is answered from the withdrawal it had created, as it is now, once the lease has passed', async () => {
    const { userId, token } = await fundedUser();
    const key = randomUUID();
    const body = { address: destination, amountSats: '20000' };
    const created = await withdraw(token, body, key);
    await mod.deliver(withdrawalFailedV1, { withdrawalId: created.body.id, userId, reason: 'fee-too-high', detail: 'test' });
    await abandon(userId, key, 1_000);
    expect((await withdraw<ProblemBody>(token, body, key)).status).toBe(409);
    await abandon(userId, key, leaseMs() + 1_000);
    gateway.calls.length = 0;

    const recovered = await withdraw(token, body, key);
    expect(recovered.status).toBe(202);
    expect(recovered.body).toMatchObject({ id: created.body.id, status: 'failed' });
    expect(gateway.calls).toEqual([]);
    expect(await keyRowOf(userId, key)).toMatchObject({ withdrawal_id: created.body.id, response_status: 202 });
    expect((await withdraw(token, body, key)).headers.get('idempotent-replayed')).toBe('true');
    expect(await withdrawalsOf(userId)).toHaveLength(1);
    expect(await mod.events(withdrawalRequestedV1).then((events) => events.filter((event) => event.payload.userId === userId))).toHaveLength(1);
  });
});

describe('withdrawals requested before the wallet kept key rows', () => {
  /** The fingerprint the wallet stored before @bitro/idempotency: SHA-256 of [address, amountSats, maxFeeSats]. */
  const formerHash = (body: { address: string; amountSats: string; maxFeeSats?: string }) =>
    createHash('sha256')
      .update(JSON.stringify([body.address, body.amountSats, body.maxFeeSats ?? null]))
      .digest('hex');

  /** A withdrawal as it was left by the former mechanism: its key and hash on the row, no key row. */
  async function formerWithdrawal(token: string, userId: string, body: { address: string; amountSats: string; maxFeeSats?: string }, key: string): Promise<WithdrawalBody> {
    const created = await withdraw(token, body, key);
    expect(created.status).toBe(202);
    await mod.pool.query(`DELETE FROM "wallet"."idempotency_keys" WHERE user_id = $1 AND key = $2`, [userId, key]);
    await mod.pool.query(`UPDATE "wallet"."withdrawals" SET request_hash = $2 WHERE id = $1`, [created.body.id, formerHash(body)]);
    return created.body;
  }

  it('answers a retry from the withdrawal (202, as it is now) and keeps that answer; never creates a second one', async () => {
    const { userId, token } = await fundedUser();
    const key = randomUUID();
    const body = { address: destination, amountSats: '30000', maxFeeSats: '5000' };
    const former = await formerWithdrawal(token, userId, body, key);
    gateway.calls.length = 0;

    const retried = await withdraw(token, { ...body }, key);
    expect(retried.status).toBe(202);
    expect(retried.body).toEqual(former);
    expect(gateway.calls).toEqual([]);
    expect(await keyRowOf(userId, key)).toEqual({ request_hash: formerHash(body), withdrawal_id: former.id, response_status: 202 });
    const again = await withdraw(token, body, key);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(former);
    expect(await withdrawalsOf(userId)).toHaveLength(1);
  });

  it('refuses another body under its key with 422, before and after the key row is copied', async () => {
    const { userId, token } = await fundedUser();
    const key = randomUUID();
    const body = { address: destination, amountSats: '30000' };
    await formerWithdrawal(token, userId, body, key);
    expect((await withdraw<ProblemBody>(token, { ...body, amountSats: '30001' }, key)).body.type).toBe(problem('idempotency-key-reused'));
    expect(await keyRowOf(userId, key)).toBeUndefined();
    expect((await withdraw(token, body, key)).status).toBe(202);
    expect((await withdraw<ProblemBody>(token, { ...body, amountSats: '30001' }, key)).body.type).toBe(problem('idempotency-key-reused'));
    expect(await withdrawalsOf(userId)).toHaveLength(1);
  });
});
