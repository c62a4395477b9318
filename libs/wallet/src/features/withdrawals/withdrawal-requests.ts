import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import { estimateWithdrawalFeeRoute, validateAddressRoute } from '@bitro/gateway-contract';
import { accountNotActive, invalidRequest, ProblemException } from '@bitro/http';
import { type IdempotencyScope, type IdempotentResult, parseIdempotencyKey, requestFingerprint, runIdempotently, type StoredAnswer } from '@bitro/idempotency';
import { Outbox } from '@bitro/messaging';
import { emailNotVerified, secondFactorProblem } from '@bitro/auth';
import { EmailNotVerifiedError, SecondFactorError, USER_API, type UserApi, UserNotActiveError } from '@bitro/service-api';
import type { z } from 'zod';
import { IdempotencyKeys } from '../../persistence/idempotency-keys';
import { TRANSACTION_OPTIONS, type Withdrawal, WalletPrisma, type WalletTx } from '../../persistence/wallet-prisma';
import { WalletGateway } from '../gateway/wallet-gateway';
import { LedgerHistory } from '../ledger/ledger-history';
import { InsufficientFundsError } from '../ledger/ledger.errors';
import { LedgerService, MAX_SATS } from '../ledger/ledger.service';
import { walletCounters } from '../ledger/wallet-counters';
import { requestPayment } from './withdrawal-command';
import { dailyLimitProblem, withdrawnToday } from './withdrawal-daily-limit';
import { withdrawalReferences } from './withdrawal-references';
import { toWithdrawalView } from './withdrawal-view';
import { requestWithdrawalRoute, type requestWithdrawalBodySchema } from './withdrawals.contracts';

export type WithdrawalRequestBody = z.output<typeof requestWithdrawalBodySchema>;

const unprocessable = (code: string, detail: string, pointer?: string, message?: string) =>
  new ProblemException(422, code, detail, pointer ? { errors: [{ in: 'body', pointer, message: message ?? detail }] } : {});

type WithdrawalDraft = Pick<Withdrawal, 'id' | 'userId' | 'address' | 'amountSats' | 'maxFeeSats' | 'idempotencyKey' | 'requestHash' | 'status'>;

/**
 * How long one withdrawal request may take at most: its two calls to the gateway (GATEWAY_TIMEOUT_MS each) and its
 * transaction (waiting for a connection, then running), plus a margin for the user checks. A key claimed that long ago
 * without an answer is taken over (its request died). Too short would only let a retry run beside a request still
 * alive: the per-user lock and the withdrawal's unique key still let only one of them create the withdrawal.
 */
export const withdrawalRequestLeaseMs = (env: Pick<BitroEnv, 'GATEWAY_TIMEOUT_MS'>): number =>
  2 * env.GATEWAY_TIMEOUT_MS + TRANSACTION_OPTIONS.maxWait + TRANSACTION_OPTIONS.timeout + 10_000;

/**
 * A second factor missing or wrong: access refused, so the request claims no key (@bitro/idempotency: "a request
 * refused before it runs claims no key"), and the same key with a good code runs it. Thrown past `runIdempotently`,
 * which frees the key of a request that fails with anything but a problem it stores.
 */
class SecondFactorRefused extends Error {
  override name = 'SecondFactorRefused';

  constructor(readonly problem: ProblemException) {
    super(problem.message);
  }
}

/** The answer to a request that created `withdrawal` (or to its retries). */
const accepted = (withdrawal: Withdrawal): StoredAnswer => ({ status: 202, body: toWithdrawalView(withdrawal) });

/**
 * POST /v1/wallet/withdrawals, under its Idempotency-Key by the rules of @bitro/idempotency (keys in
 * `idempotency_keys`, and on the withdrawal a key created: see IdempotencyKeys). A frozen user is refused first.
 * Everything the gateway must answer (address, fee estimate) is asked before anything is written; then one
 * transaction, serialised per user, checks the daily limit, records the withdrawal, holds amount + max fee and appends
 * `gateway.withdrawal-requested.v1` to the outbox; above WITHDRAWAL_APPROVAL_THRESHOLD_SATS the same, but it awaits an
 * admin's approval instead (see WithdrawalReview).
 */
@Injectable()
export class WithdrawalRequests {
  private readonly leaseMs: number;

  constructor(
    private readonly prisma: WalletPrisma,
    private readonly keys: IdempotencyKeys,
    private readonly ledger: LedgerService,
    private readonly ledgerHistory: LedgerHistory,
    private readonly gateway: WalletGateway,
    private readonly outbox: Outbox,
    @Inject(BITRO_ENV) private readonly env: BitroEnv,
    @Inject(USER_API) private readonly users: UserApi,
  ) {
    this.leaseMs = withdrawalRequestLeaseMs(env);
  }

  /**
   * `totpCode`: the `TOTP-Code` header, needed (fresh, each code once) when the user has a second factor; not for a
   * retry that gets a stored answer.
   */
  async request(userId: string, idempotencyKey: unknown, body: WithdrawalRequestBody, totpCode?: string): Promise<IdempotentResult> {
    const scope = { owner: userId, key: idempotencyKeyOf(idempotencyKey) };
    const fingerprint = fingerprintOf(body);
    try {
      return await runIdempotently(
        this.keys,
        { scope, fingerprint, formerFingerprints: [formerFingerprintOf(body)] },
        {
          leaseMs: this.leaseMs,
          run: () => this.run(scope, fingerprint, body, totpCode),
          recover: async (withdrawalId) => accepted(await this.prisma.withdrawal.findUniqueOrThrow({ where: { id: withdrawalId } })),
        },
      );
    } catch (error) {
      throw error instanceof SecondFactorRefused ? error.problem : error;
    }
  }

  private async run(scope: IdempotencyScope, requestHash: string, body: WithdrawalRequestBody, totpCode: string | undefined): Promise<StoredAnswer> {
    const userId = scope.owner;
    await this.users.assertVerified(userId).catch((error: unknown) => {
      if (error instanceof EmailNotVerifiedError) throw emailNotVerified();
      throw error instanceof UserNotActiveError ? accountNotActive(error.reason) : error;
    });
    await this.users.verifySecondFactor(userId, totpCode).catch((error: unknown) => {
      throw error instanceof SecondFactorError ? new SecondFactorRefused(secondFactorProblem(error.reason, { in: 'header', pointer: '/TOTP-Code' })) : error;
    });

    const amountSats = BigInt(body.amountSats);
    if (amountSats < this.env.WITHDRAWAL_MIN_SATS) {
      const minimum = `${this.env.WITHDRAWAL_MIN_SATS} sats`;
      throw unprocessable('amount-too-small', `The smallest withdrawal is ${minimum}.`, '/amountSats', `must be at least ${minimum}`);
    }
    const validation = await this.gateway.call(validateAddressRoute, { address: body.address });
    if (!validation.valid) {
      throw unprocessable('invalid-address', `This is not a bitcoin address Bitro can send to (${validation.reason}): ${validation.message}`, '/address', validation.message);
    }
    const address = validation.address;
    const estimate = await this.gateway.call(estimateWithdrawalFeeRoute, { address, amountSats: body.amountSats });
    const estimateSats = BigInt(estimate.feeSats);
    const maxFeeSats = body.maxFeeSats === undefined ? (estimateSats * BigInt(this.env.WITHDRAWAL_MAX_FEE_MULTIPLIER_PERCENT)) / 100n : BigInt(body.maxFeeSats);
    if (maxFeeSats < estimateSats) {
      throw unprocessable('max-fee-too-low', `The network fee is currently estimated at ${estimateSats} sats; maxFeeSats must be at least that.`, '/maxFeeSats', `must be at least ${estimateSats}`);
    }
    // The contract bounds the sum of what the body gives; a default maxFee can still take it past every balance there is.
    if (amountSats + maxFeeSats > MAX_SATS) {
      throw unprocessable('amount-too-large', `amountSats plus the maximum fee (${maxFeeSats} sats) exceeds 21 million BTC.`, '/amountSats', `must be at most ${MAX_SATS - maxFeeSats} with this fee`);
    }

    const status = amountSats > this.env.WITHDRAWAL_APPROVAL_THRESHOLD_SATS ? 'awaiting_approval' : 'requested';
    const draft = { id: randomUUID(), userId, address, amountSats, maxFeeSats, idempotencyKey: scope.key, requestHash, status } as const;
    try {
      return await this.prisma.transaction((tx) => this.submit(tx, scope, draft));
    } catch (error) {
      if (!(error instanceof InsufficientFundsError)) throw error;
      const { availableSats } = await this.ledgerHistory.balance(userId);
      throw unprocessable(
        'insufficient-funds',
        `This withdrawal needs ${amountSats + maxFeeSats} sats available (${amountSats} sats plus up to ${maxFeeSats} sats network fee); you have ${availableSats} sats.`,
      );
    }
  }

  private async submit(tx: WalletTx, scope: IdempotencyScope, draft: WithdrawalDraft): Promise<StoredAnswer> {
    const { id, userId, address, amountSats, maxFeeSats } = draft;
    // One user's requests run one at a time from here on: the daily limit holds under concurrency.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`wallet.withdrawals:${userId.toLowerCase()}`}, 0))`;
    // A request that took this key over from one still alive (past the lease) finds the withdrawal that one created.
    const earlier = await tx.withdrawal.findUnique({ where: { userId_idempotencyKey: { userId, idempotencyKey: draft.idempotencyKey } } });
    if (earlier) return accepted(earlier);

    const usedSats = await withdrawnToday(tx, userId);
    if (usedSats + amountSats > this.env.WITHDRAWAL_DAILY_LIMIT_SATS) throw dailyLimitProblem(usedSats, this.env.WITHDRAWAL_DAILY_LIMIT_SATS);

    const withdrawal = await tx.withdrawal.create({ data: draft });
    await this.keys.attach(tx, scope, id);
    await this.ledger.post(tx, {
      kind: 'hold',
      userId,
      amountSats: amountSats + maxFeeSats,
      reference: withdrawalReferences(id).hold,
      description: `Withdrawal to ${address}`,
    });
    if (withdrawal.status === 'requested') await requestPayment(this.outbox, tx, withdrawal);
    walletCounters.withdrawals.inc({ state: 'requested' });
    return accepted(withdrawal);
  }
}

function idempotencyKeyOf(value: unknown): string {
  const parsed = parseIdempotencyKey(value);
  if ('fault' in parsed) throw invalidRequest([parsed.fault]);
  return parsed.key;
}

/** The request as sent (before the address is normalised), so a retry must repeat it exactly. */
const fingerprintOf = (body: WithdrawalRequestBody): string =>
  requestFingerprint({
    method: requestWithdrawalRoute.method,
    path: requestWithdrawalRoute.path,
    body: { address: body.address, amountSats: body.amountSats, maxFeeSats: body.maxFeeSats },
  });

/** The fingerprint of withdrawals requested before the wallet adopted @bitro/idempotency, still on their rows. */
const formerFingerprintOf = (body: WithdrawalRequestBody): string =>
  createHash('sha256')
    .update(JSON.stringify([body.address, body.amountSats, body.maxFeeSats ?? null]))
    .digest('hex');
