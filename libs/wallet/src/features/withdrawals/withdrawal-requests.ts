import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import { estimateWithdrawalFeeRoute, validateAddressRoute } from '@bitro/gateway-contract';
import { accountNotActive, idempotencyKeyReused, invalidRequest, parseIdempotencyKey, ProblemException } from '@bitro/http';
import { Outbox } from '@bitro/messaging';
import { emailNotVerified, secondFactorProblem } from '@bitro/auth';
import { EmailNotVerifiedError, SecondFactorError, USER_API, type UserApi, UserNotActiveError } from '@bitro/service-api';
import type { z } from 'zod';
import { type Withdrawal, WalletPrisma, type WalletTx } from '../../persistence/wallet-prisma';
import { WalletGateway } from '../gateway/wallet-gateway';
import { LedgerHistory } from '../ledger/ledger-history';
import { InsufficientFundsError } from '../ledger/ledger.errors';
import { LedgerService, MAX_SATS } from '../ledger/ledger.service';
import { requestPayment } from './withdrawal-command';
import { dailyLimitProblem, withdrawnToday } from './withdrawal-daily-limit';
import { withdrawalReferences } from './withdrawal-references';
import { toWithdrawalView } from './withdrawal-view';
import type { requestWithdrawalBodySchema, WithdrawalView } from './withdrawals.contracts';

export type WithdrawalRequestBody = z.output<typeof requestWithdrawalBodySchema>;

/** The Idempotency-Key header: 1-255 visible ASCII characters, as on every money-moving POST. */

const unprocessable = (code: string, detail: string, pointer?: string, message?: string) =>
  new ProblemException(422, code, detail, pointer ? { errors: [{ in: 'body', pointer, message: message ?? detail }] } : {});

type WithdrawalDraft = Pick<Withdrawal, 'id' | 'userId' | 'address' | 'amountSats' | 'maxFeeSats' | 'idempotencyKey' | 'requestHash' | 'status'>;

export interface WithdrawalRequestResult {
  withdrawal: WithdrawalView;
  /** True when the Idempotency-Key had already created this withdrawal. */
  replayed: boolean;
}

/**
 * POST /v1/wallet/withdrawals. A frozen user is refused first. Everything the gateway must answer (address, fee
 * estimate) is asked before anything is written; then one transaction, serialised per user, checks the daily limit,
 * records the withdrawal, holds amount + max fee and appends `gateway.withdrawal-requested.v1` to the outbox; above
 * WITHDRAWAL_APPROVAL_THRESHOLD_SATS the same, but it awaits an admin's approval instead (see WithdrawalReview).
 */
@Injectable()
export class WithdrawalRequests {
  constructor(
    private readonly prisma: WalletPrisma,
    private readonly ledger: LedgerService,
    private readonly ledgerHistory: LedgerHistory,
    private readonly gateway: WalletGateway,
    private readonly outbox: Outbox,
    @Inject(BITRO_ENV) private readonly env: BitroEnv,
    @Inject(USER_API) private readonly users: UserApi,
  ) {}

  /** `totpCode`: the `TOTP-Code` header, needed (fresh, each code once) when the user has a second factor; not for a replay. */
  async request(userId: string, idempotencyKey: unknown, body: WithdrawalRequestBody, totpCode?: string): Promise<WithdrawalRequestResult> {
    const key = idempotencyKeyOf(idempotencyKey);
    await this.users.assertVerified(userId).catch((error: unknown) => {
      if (error instanceof EmailNotVerifiedError) throw emailNotVerified();
      throw error instanceof UserNotActiveError ? accountNotActive(error.reason) : error;
    });
    const requestHash = hashOf(body);
    const earlier = await this.earlier(this.prisma, userId, key, requestHash);
    if (earlier) return earlier;
    await this.users.verifySecondFactor(userId, totpCode).catch((error: unknown) => {
      throw error instanceof SecondFactorError ? secondFactorProblem(error.reason, { in: 'header', pointer: '/TOTP-Code' }) : error;
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
    const draft = { id: randomUUID(), userId, address, amountSats, maxFeeSats, idempotencyKey: key, requestHash, status } as const;
    try {
      return await this.prisma.transaction((tx) => this.submit(tx, draft));
    } catch (error) {
      if (!(error instanceof InsufficientFundsError)) throw error;
      const { availableSats } = await this.ledgerHistory.balance(userId);
      throw unprocessable(
        'insufficient-funds',
        `This withdrawal needs ${amountSats + maxFeeSats} sats available (${amountSats} sats plus up to ${maxFeeSats} sats network fee); you have ${availableSats} sats.`,
      );
    }
  }

  private async submit(tx: WalletTx, draft: WithdrawalDraft): Promise<WithdrawalRequestResult> {
    const { id, userId, address, amountSats, maxFeeSats } = draft;
    // One user's requests run one at a time from here on: the daily limit holds under concurrency, and
    // a concurrent retry under the same key finds the withdrawal its twin created.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`wallet.withdrawals:${userId.toLowerCase()}`}, 0))`;
    const earlier = await this.earlier(tx, userId, draft.idempotencyKey, draft.requestHash);
    if (earlier) return earlier;

    const usedSats = await withdrawnToday(tx, userId);
    if (usedSats + amountSats > this.env.WITHDRAWAL_DAILY_LIMIT_SATS) throw dailyLimitProblem(usedSats, this.env.WITHDRAWAL_DAILY_LIMIT_SATS);

    const withdrawal = await tx.withdrawal.create({ data: draft });
    await this.ledger.post(tx, {
      kind: 'hold',
      userId,
      amountSats: amountSats + maxFeeSats,
      reference: withdrawalReferences(id).hold,
      description: `Withdrawal to ${address}`,
    });
    if (withdrawal.status === 'requested') await requestPayment(this.outbox, tx, withdrawal);
    return { withdrawal: toWithdrawalView(withdrawal), replayed: false };
  }

  /** The withdrawal this key already created for this very request; a problem if it was created for another. */
  private async earlier(db: WalletTx, userId: string, idempotencyKey: string, requestHash: string): Promise<WithdrawalRequestResult | null> {
    const withdrawal = await db.withdrawal.findUnique({ where: { userId_idempotencyKey: { userId, idempotencyKey } } });
    if (!withdrawal) return null;
    if (withdrawal.requestHash !== requestHash) {
      throw idempotencyKeyReused();
    }
    return { withdrawal: toWithdrawalView(withdrawal), replayed: true };
  }
}

function idempotencyKeyOf(value: unknown): string {
  const parsed = parseIdempotencyKey(value);
  if ('fault' in parsed) throw invalidRequest([parsed.fault]);
  return parsed.key;
}

/** The request as sent (before the address is normalised), so a retry must repeat it exactly. */
function hashOf(body: WithdrawalRequestBody): string {
  return createHash('sha256')
    .update(JSON.stringify([body.address, body.amountSats, body.maxFeeSats ?? null]))
    .digest('hex');
}
