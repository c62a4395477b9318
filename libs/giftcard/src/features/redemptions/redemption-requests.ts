import { Inject, Injectable } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import { accountNotActive, type InvalidParam, invalidRequest, ProblemException } from '@bitro/http';
import { AnsweredInTransaction, type IdempotencyScope, type IdempotentResult, parseIdempotencyKey, runIdempotently, type StoredAnswer } from '@bitro/idempotency';
import { emailNotVerified } from '@bitro/auth';
import { EmailNotVerifiedError, USER_API, type UserApi, UserNotActiveError } from '@bitro/service-api';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { type Brand, GiftcardPrisma, type Redemption } from '../../persistence/giftcard-prisma';
import { IdempotencyKeys } from '../../persistence/idempotency-keys';
import { REDEMPTION_COLUMNS, redemptionFromRow, type RedemptionRow } from '../../persistence/redemption-row';
import { Catalogue } from '../catalogue/catalogue';
import { DailyLimit, secondsUntilSeoulMidnight, usedTodaySql } from './daily-limit';
import { pinSchema } from './pin-format';
import { PinVault } from './pin-vault';
import { processingLeaseMs } from './processing-lease';
import { RedemptionProcessor } from './redemption-processor';
import { redemptionsMoved } from './redemption-counters';
import { toRedemptionView } from './redemption-view';
import { type redeemBodySchema, redeemRoute } from './redemptions.contracts';

const UNIQUE_VIOLATION = '23505';
// Only while the day's redemptions of the brand leave room for its smallest card ($8: the most that may be used).
const CREATE_UNDER_KEY = {
  name: 'giftcard.create-under-key',
  text: `WITH used AS (${usedTodaySql('$2', '$4')}), attached AS (
      UPDATE "giftcard"."idempotency_keys" SET redemption_id = $1::uuid FROM used
      WHERE user_id = $2::uuid AND key = $3 AND used.krw <= $8::bigint RETURNING user_id)
    INSERT INTO "giftcard"."redemptions" (id, user_id, brand, pin_hash, pin_ciphertext, attempts, next_attempt_at)
    SELECT $1::uuid, user_id, $4, $5, $6, 1, $7::timestamptz FROM attached
    RETURNING ${REDEMPTION_COLUMNS}`,
};

const alreadyRedeemed = () => new ProblemException(409, 'pin-already-redeemed', 'This PIN has already been redeemed.');
const krw = (amount: bigint) => `${amount.toLocaleString('en-US')} KRW`;

/**
 * POST /v1/giftcards/redemptions: checks the request, then submits the card under its Idempotency-Key (the rules of
 * @bitro/idempotency, keys in `idempotency_keys`) and processes it at once. A retry after its request died is answered
 * from the redemption that request had created.
 */
@Injectable()
export class RedemptionRequests {
  private readonly leaseMs: number;

  constructor(
    private readonly prisma: GiftcardPrisma,
    private readonly catalogue: Catalogue,
    private readonly vault: PinVault,
    private readonly keys: IdempotencyKeys,
    private readonly limits: DailyLimit,
    private readonly processor: RedemptionProcessor,
    @Inject(USER_API) private readonly users: UserApi,
    @Inject(BITRO_ENV) env: BitroEnv,
  ) {
    this.leaseMs = processingLeaseMs(env);
  }

  async redeem(userId: string, idempotencyKey: unknown, body: z.output<typeof redeemBodySchema>): Promise<IdempotentResult> {
    const { key, brand, pin } = await this.validate(idempotencyKey, body);
    const scope = { owner: userId, key };
    const request = { method: redeemRoute.method, path: redeemRoute.path, body: { brand: brand.code, pin } };
    return runIdempotently(
      this.keys,
      { scope, fingerprint: this.vault.requestFingerprint(request), formerFingerprints: [this.vault.formerRequestFingerprint(brand.code, pin)] },
      {
        leaseMs: this.leaseMs,
        run: () => this.submit(scope, brand, pin),
        recover: async (redemptionId) => ({ status: 202, body: toRedemptionView(await this.prisma.redemption.findUniqueOrThrow({ where: { id: redemptionId } })) }),
      },
    );
  }

  /** The header and the body, every fault in one 400; the PIN normalised. */
  private async validate(idempotencyKey: unknown, body: z.output<typeof redeemBodySchema>): Promise<{ key: string; brand: Brand; pin: string }> {
    const errors: InvalidParam[] = [];
    const parsedKey = parseIdempotencyKey(idempotencyKey);
    const key = 'key' in parsedKey ? parsedKey.key : undefined;
    if ('fault' in parsedKey) errors.push(parsedKey.fault);
    const brand = await this.catalogue.find(body.brand);
    const parsed = brand ? pinSchema(brand).safeParse(body.pin) : undefined;
    if (!brand) errors.push({ in: 'body', pointer: '/brand', message: 'is not a brand Bitro redeems (see GET /v1/giftcards/brands)' });
    if (parsed && !parsed.success) errors.push(...parsed.error.issues.map((issue) => ({ in: 'body' as const, pointer: '/pin', message: issue.message })));
    if (key === undefined || !brand || !parsed?.success) throw invalidRequest(errors);
    return { key, brand, pin: parsed.data };
  }

  private async submit(scope: IdempotencyScope, brand: Brand, pin: string): Promise<StoredAnswer | AnsweredInTransaction> {
    const userId = scope.owner;
    await this.assertActive(userId);
    const pinHash = this.vault.hash(brand.code, pin);
    const smallest = brand.faceValuesKrw.reduce((a, b) => (b < a ? b : a));
    const created = (await this.create(scope, brand, pinHash, pin, brand.dailyLimitKrw - smallest)) ?? (await this.refusal(userId, brand, pinHash, smallest));
    redemptionsMoved.inc({ state: 'accepted' });
    // An approved (or flagged) redemption's answer is stored with its approval.
    const { redemption, limitBreach, approvedHere } = await this.processor.process(created, pin, brand, (tx, approved) =>
      this.keys.completeIn(tx, scope, { status: 202, body: toRedemptionView(approved) }),
    );
    if (limitBreach) {
      const remaining = limitBreach.limitKrw - limitBreach.usedKrw;
      throw new ProblemException(
        422,
        'daily-limit-exceeded',
        `This ${krw(limitBreach.faceValueKrw)} card would exceed your daily limit for ${brand.name} (${brand.code}): ` +
          `${krw(remaining > 0n ? remaining : 0n)} of ${krw(limitBreach.limitKrw)} remain today. The card was not used; redeem it another day.`,
      );
    }
    const answer = { status: 202, body: toRedemptionView(redemption) };
    return approvedHere ? new AnsweredInTransaction(answer) : answer;
  }

  /**
   * Inserts the pending redemption and links it to the request's key in one statement (so one round trip and no
   * transaction), if the user's redemptions of the brand today come to at most `maxUsedKrw`: nothing is written
   * otherwise, nor when the key's row is not there, claimed by this request.
   */
  private async create({ owner: userId, key }: IdempotencyScope, brand: Brand, pinHash: string, pin: string, maxUsedKrw: bigint): Promise<Redemption | undefined> {
    const id = randomUUID();
    const nextAttemptAt = new Date(Date.now() + this.leaseMs);
    const pinCiphertext = this.vault.seal(pin, id);
    let rows: RedemptionRow[];
    try {
      ({ rows } = await this.prisma.pool.query<RedemptionRow>({
        ...CREATE_UNDER_KEY,
        values: [id, userId, key, brand.code, pinHash, Buffer.from(pinCiphertext), nextAttemptAt, maxUsedKrw.toString()],
      }));
    } catch (error) {
      // Another request with the same PIN got there first.
      if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) throw alreadyRedeemed();
      throw error;
    }
    const [row] = rows;
    return row && redemptionFromRow(row);
  }

  /** Why nothing was created: the PIN is taken (first, as a taken PIN is whatever the limit), or the limit is used up. */
  private async refusal(userId: string, brand: Brand, pinHash: string, smallestKrw: bigint): Promise<never> {
    const { usedKrw: used, pinTaken } = await this.limits.usedToday(userId, brand.code, pinHash);
    if (pinTaken) throw alreadyRedeemed();
    if (used + smallestKrw > brand.dailyLimitKrw) {
      const retryAfter = secondsUntilSeoulMidnight();
      throw new ProblemException(
        429,
        'daily-limit-reached',
        `Your daily limit for ${brand.name} (${brand.code}) is used up: ${krw(used)} of ${krw(brand.dailyLimitKrw)} redeemed today. It resets at midnight Asia/Seoul, in ${retryAfter} s.`,
        { headers: { 'retry-after': String(retryAfter) } },
      );
    }
    throw new Error(`Idempotency-Key of user ${userId} vanished while its request ran`);
  }

  private async assertActive(userId: string): Promise<void> {
    try {
      await this.users.assertVerified(userId);
    } catch (error) {
      if (error instanceof EmailNotVerifiedError) throw emailNotVerified();
      throw error instanceof UserNotActiveError ? accountNotActive(error.reason) : error;
    }
  }
}
