import { Inject, Injectable } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import { decodeCursor, olderThan, pageOf } from '@bitro/db';
import { accountNotActive, type InvalidParam, invalidRequest, parseIdempotencyKey, ProblemException } from '@bitro/http';
import { emailNotVerified } from '@bitro/auth';
import { EmailNotVerifiedError, USER_API, type UserApi, UserNotActiveError } from '@bitro/service-api';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { CatalogueService } from '../catalogue/catalogue.service';
import { type IdempotentResult, IdempotencyStore, type StoredAnswer } from '../idempotency/idempotency.store';
import { type Brand, GiftcardPrisma, Prisma, type Redemption } from '../persistence/giftcard-prisma';
import { pinSchema } from '../pin/pin-format';
import { PinVault } from '../pin/pin-vault';
import { DailyLimit, secondsUntilSeoulMidnight } from './daily-limit';
import type { listRedemptionsQuerySchema, redeemBodySchema, RedemptionView } from './redemption.contracts';
import { RedemptionProcessor } from './redemption.processor';
import { toRedemptionView } from './redemption-view';
import { processingLeaseMs } from './processing-lease';

const alreadyRedeemed = () => new ProblemException(409, 'pin-already-redeemed', 'This PIN has already been redeemed.');
const notFound = () => new ProblemException(404, 'redemption-not-found', 'You have no redemption with this id.');
const krw = (amount: bigint) => `${amount.toLocaleString('en-US')} KRW`;

@Injectable()
export class RedemptionService {
  private readonly leaseMs: number;

  constructor(
    private readonly prisma: GiftcardPrisma,
    private readonly catalogue: CatalogueService,
    private readonly vault: PinVault,
    private readonly idempotency: IdempotencyStore,
    private readonly limits: DailyLimit,
    private readonly processor: RedemptionProcessor,
    @Inject(USER_API) private readonly users: UserApi,
    @Inject(BITRO_ENV) env: BitroEnv,
  ) {
    this.leaseMs = processingLeaseMs(env);
  }

  /** POST /v1/giftcards/redemptions: validates, then runs (or answers again) under the Idempotency-Key. */
  async redeem(userId: string, idempotencyKey: unknown, body: z.output<typeof redeemBodySchema>): Promise<IdempotentResult> {
    const { key, brand, pin } = await this.validate(idempotencyKey, body);
    return this.idempotency.run(
      { userId, key, fingerprint: this.vault.requestFingerprint(brand.code, pin) },
      () => this.submit(userId, key, brand, pin),
      async (redemptionId) => ({ status: 202, body: toRedemptionView(await this.prisma.redemption.findUniqueOrThrow({ where: { id: redemptionId } })) }),
    );
  }

  async get(userId: string, id: string): Promise<RedemptionView> {
    const redemption = await this.prisma.redemption.findFirst({ where: { id, userId } });
    if (!redemption) throw notFound();
    return toRedemptionView(redemption);
  }

  /** Newest first; the cursor (checked by the route contract) is the (createdAt, id) of the last item of the previous page. */
  async list(userId: string, query: z.output<typeof listRedemptionsQuerySchema>): Promise<{ items: RedemptionView[]; nextCursor: string | null }> {
    const rows = await this.prisma.redemption.findMany({
      where: { userId, ...olderThan('createdAt', query.cursor === undefined ? null : decodeCursor(query.cursor)) },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: query.limit + 1,
    });
    const page = pageOf(rows, query.limit, (redemption) => redemption);
    return { items: page.items.map(toRedemptionView), nextCursor: page.nextCursor };
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

  private async submit(userId: string, idempotencyKey: string, brand: Brand, pin: string): Promise<StoredAnswer> {
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
        await this.idempotency.attach(tx, userId, idempotencyKey, id);
        return redemption;
      });
    } catch (error) {
      // Another request with the same PIN got there first.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') throw alreadyRedeemed();
      throw error;
    }

    const { redemption, limitBreach } = await this.processor.process(created, pin);
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
