import { Inject, Injectable } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import { accountNotActive, type InvalidParam, invalidRequest, ProblemException } from '@bitro/http';
import { type IdempotencyScope, type IdempotentResult, parseIdempotencyKey, runIdempotently, type StoredAnswer } from '@bitro/idempotency';
import { emailNotVerified } from '@bitro/auth';
import { EmailNotVerifiedError, USER_API, type UserApi, UserNotActiveError } from '@bitro/service-api';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { type Brand, GiftcardPrisma, Prisma, type Redemption } from '../../persistence/giftcard-prisma';
import { IdempotencyKeys } from '../../persistence/idempotency-keys';
import { Catalogue } from '../catalogue/catalogue';
import { DailyLimit, secondsUntilSeoulMidnight } from './daily-limit';
import { pinSchema } from './pin-format';
import { PinVault } from './pin-vault';
import { processingLeaseMs } from './processing-lease';
import { RedemptionProcessor } from './redemption-processor';
import { toRedemptionView } from './redemption-view';
import { type redeemBodySchema, redeemRoute } from './redemptions.contracts';

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

  private async submit(scope: IdempotencyScope, brand: Brand, pin: string): Promise<StoredAnswer> {
    const userId = scope.owner;
    await this.assertActive(userId);
    const pinHash = this.vault.hash(brand.code, pin);
    if ((await this.prisma.redemption.count({ where: { pinHash } })) > 0) throw alreadyRedeemed();
    const used = await this.limits.usedToday(userId, brand.code);
    const smallest = brand.faceValuesKrw.reduce((a, b) => (b < a ? b : a));
    if (used + smallest > brand.dailyLimitKrw) {
      const retryAfter = secondsUntilSeoulMidnight();
      throw new ProblemException(
        429,
        'daily-limit-reached',
        `Your daily limit for ${brand.name} (${brand.code}) is used up: ${krw(used)} of ${krw(brand.dailyLimitKrw)} redeemed today. It resets at midnight Asia/Seoul, in ${retryAfter} s.`,
        { headers: { 'retry-after': String(retryAfter) } },
      );
    }

    const id = randomUUID();
    let created: Redemption;
    try {
      created = await this.prisma.$transaction(async (tx) => {
        const redemption = await tx.redemption.create({
          data: { id, userId, brandCode: brand.code, pinHash, pinCiphertext: this.vault.seal(pin, id), attempts: 1, nextAttemptAt: new Date(Date.now() + this.leaseMs) },
        });
        await this.keys.attach(tx, scope, id);
        return redemption;
      });
    } catch (error) {
      // Another request with the same PIN got there first.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') throw alreadyRedeemed();
      throw error;
    }

    const { redemption, limitBreach } = await this.processor.process(created, pin, brand);
    if (limitBreach) {
      const remaining = limitBreach.limitKrw - limitBreach.usedKrw;
      throw new ProblemException(
        422,
        'daily-limit-exceeded',
        `This ${krw(limitBreach.faceValueKrw)} card would exceed your daily limit for ${brand.name} (${brand.code}): ` +
          `${krw(remaining > 0n ? remaining : 0n)} of ${krw(limitBreach.limitKrw)} remain today. The card was not used; redeem it another day.`,
      );
    }
    return { status: 202, body: toRedemptionView(redemption) };
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
