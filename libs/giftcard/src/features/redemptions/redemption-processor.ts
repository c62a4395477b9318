import { Inject, Injectable, Logger } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import { executeNamed, Outbox, pgTransaction, queryNamed, type SqlExecutor } from '@bitro/messaging';
import { PRICE_FEED, type PriceFeedPort, PriceUnavailableError } from '@bitro/price-feed';
import { redemptionRejectedV1 } from '@bitro/service-api';
import { type Brand, GiftcardPrisma, isoDay, type Redemption } from '../../persistence/giftcard-prisma';
import { REDEMPTION_COLUMNS, redemptionFromRow, type RedemptionRow } from '../../persistence/redemption-row';
import { DailyReview, flaggedSql } from '../review/daily-review';
import { DailyLimit, type DailyLimitBreach } from './daily-limit';
import { ISSUER, type IssuerPort, IssuerUnavailableError } from './issuer/issuer.port';
import { type Quote, quote } from './quote';
import { RedemptionApprovedPublisher } from './redemption-approved.publisher';
import { redemptionsMoved } from './redemption-counters';

export type RejectionReason = 'pin-invalid' | 'pin-already-used' | 'face-value-not-accepted' | 'daily-limit-exceeded' | 'amount-too-small';

export interface ProcessingResult {
  /** The redemption as it is now: verified, flagged (held for review), rejected, or still pending. */
  redemption: Redemption;
  /** Set when it was rejected for the daily limit. */
  limitBreach?: DailyLimitBreach;
  /** True when this call approved (or flagged) it, and the transaction that did (with `inApproval`'s work) committed. */
  approvedHere?: boolean;
}

// Out of pending only: a redemption some other attempt finished first is left as it is. Verified, or flagged for review
// (the day's sum read after the review lock was granted).
const APPROVE = {
  name: 'giftcard.redemption-approve',
  text: `UPDATE "giftcard"."redemptions" SET
      state = (CASE WHEN ${flaggedSql('$1', '$2', '$8', '$3', '$9')} THEN 'flagged' ELSE 'verified' END)::"giftcard"."RedemptionState",
      face_value_krw = $3::bigint, fee_krw = $4::bigint,
      price_krw_per_btc = $5::bigint, amount_sats = $6::bigint, quote_expires_at = $7::timestamptz,
      pin_ciphertext = NULL, next_attempt_at = NULL, last_error = NULL, updated_at = now()
    WHERE id = $1::uuid AND state = 'pending'
    RETURNING ${REDEMPTION_COLUMNS}`,
};
const REJECT = {
  name: 'giftcard.redemption-reject',
  text: `UPDATE "giftcard"."redemptions" SET state = 'rejected', rejection_reason = $2, pin_hash = NULL, pin_ciphertext = NULL,
      next_attempt_at = NULL, last_error = NULL, updated_at = now()
    WHERE id = $1::uuid AND state = 'pending'`,
};

/** Work of the caller's in the transaction that approves (or flags) a redemption. */
export type ApprovalWork = (tx: SqlExecutor, approved: Redemption) => Promise<void>;

interface PricedAt {
  krwPerBtc: bigint;
  quotedAt: number;
}

/**
 * Takes a pending redemption as far as it can go: verify the PIN with the issuer, count it against the
 * daily limit, quote it, use it up at the issuer (idempotent by the redemption id), then approve it and
 * emit the approved event in one transaction. Any step may be repeated after a crash or an outage: the
 * issuer answers a repeated redeem with its first result, and only the transition out of `pending`
 * emits an event, so a redemption is approved (and credited) at most once. Over the daily review amount
 * it is flagged instead (quote stored, no event) and waits for an admin (see RedemptionReview).
 */
@Injectable()
export class RedemptionProcessor {
  private readonly logger = new Logger('giftcard');

  constructor(
    private readonly prisma: GiftcardPrisma,
    private readonly limits: DailyLimit,
    private readonly review: DailyReview,
    private readonly outbox: Outbox,
    private readonly approvals: RedemptionApprovedPublisher,
    @Inject(ISSUER) private readonly issuer: IssuerPort,
    @Inject(PRICE_FEED) private readonly prices: PriceFeedPort,
    @Inject(BITRO_ENV) private readonly env: BitroEnv,
  ) {}

  /**
   * `brand` when the caller has just read it (the request did); otherwise it is read here. `inApproval` runs in the
   * transaction that approves (or flags) the redemption, given it as approved.
   */
  async process(redemption: Redemption, pin: string, brand?: Brand, inApproval?: ApprovalWork): Promise<ProcessingResult> {
    try {
      return await this.attempt(redemption, brand ?? (await this.prisma.brand.findUniqueOrThrow({ where: { code: redemption.brandCode } })), pin, inApproval);
    } catch (error) {
      // Whatever went wrong, the sealed PIN stays with the pending row and the retry job takes it again.
      redemptionsMoved.inc({ state: 'failed' });
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      if (error instanceof IssuerUnavailableError || error instanceof PriceUnavailableError) {
        this.logger.warn(`Redemption ${redemption.id} stays pending: ${reason}`);
      } else {
        this.logger.error(`Redemption ${redemption.id} stays pending after an unexpected error: ${reason}`, (error as Error | undefined)?.stack);
      }
      return { redemption: await this.postpone(redemption.id, reason) };
    }
  }

  private async attempt(redemption: Redemption, brand: Brand, pin: string, inApproval?: ApprovalWork): Promise<ProcessingResult> {
    const verification = await this.issuer.verify({ brand: brand.code, pin });
    let price: PricedAt | undefined;
    if (verification.status === 'invalid') return this.reject(redemption, 'pin-invalid');
    if (verification.status === 'valid') {
      const faceValueKrw = verification.faceValueKrw;
      if (!brand.faceValuesKrw.includes(faceValueKrw)) return this.reject(redemption, 'face-value-not-accepted');
      const { breach, rejected } = await pgTransaction(this.prisma.pool, async (tx) => {
        const found = await this.limits.reserve(tx, redemption, brand, faceValueKrw);
        return { breach: found, rejected: found ? await this.rejectIn(tx, redemption, 'daily-limit-exceeded') : false };
      });
      if (rejected) redemptionsMoved.inc({ state: 'rejected' });
      if (breach) return { redemption: await this.load(redemption.id), limitBreach: breach };
      // Priced before the card is used up: without a price the card stays unused and the redemption pending.
      price = await this.currentPrice();
      // A card worth less than one satoshi after the fee is refused while it is still unused.
      if (quote(faceValueKrw, brand.feeBps, price.krwPerBtc).amountSats === 0n) return this.reject(redemption, 'amount-too-small');
    }
    // 'already-used' at verify may be our own earlier redeem (a crash or timeout after the issuer used
    // the card): redeeming again under the same reference tells, answering that first result.
    const redeemed = await this.issuer.redeem({ brand: brand.code, pin, reference: redemption.id });
    if (redeemed.status !== 'redeemed') return this.reject(redemption, redeemed.status === 'invalid' ? 'pin-invalid' : 'pin-already-used');
    if (!price || this.expired(price)) price = await this.currentPrice();
    return this.approve(redemption, quote(redeemed.faceValueKrw, brand.feeBps, price.krwPerBtc), price, inApproval);
  }

  private async currentPrice(): Promise<PricedAt> {
    const { krwPerBtc } = await this.prices.currentPrice();
    return { krwPerBtc, quotedAt: Date.now() };
  }

  private expired(price: PricedAt): boolean {
    return Date.now() >= price.quotedAt + this.env.QUOTE_TTL_SECONDS * 1000;
  }

  private async approve(redemption: Redemption, amounts: Quote, price: PricedAt, inApproval?: ApprovalWork): Promise<ProcessingResult> {
    const { approved, flagged } = await pgTransaction(this.prisma.pool, async (tx) => {
      await this.review.lock(tx, redemption.userId);
      const quoteExpiresAt = new Date(price.quotedAt + this.env.QUOTE_TTL_SECONDS * 1000);
      const [row] = await queryNamed<RedemptionRow>(tx, APPROVE, [
        redemption.id,
        redemption.userId,
        amounts.faceValueKrw,
        amounts.feeKrw,
        amounts.priceKrwPerBtc,
        amounts.amountSats,
        quoteExpiresAt,
        isoDay(redemption.limitDay),
        this.review.thresholdKrw,
      ]);
      const flagged = row?.state === 'flagged';
      // Someone else finished it first; or it waits for review, which emits the event on approval.
      if (row && !flagged) await this.approvals.publish(tx, redemption, amounts);
      const approved = row && redemptionFromRow(row);
      if (approved && inApproval) await inApproval(tx, approved);
      return { approved, flagged };
    });
    if (!approved) return { redemption: await this.load(redemption.id) };
    redemptionsMoved.inc({ state: flagged ? 'flagged' : 'approved' });
    return { redemption: approved, approvedHere: true };
  }

  private async reject(redemption: Redemption, reason: RejectionReason): Promise<ProcessingResult> {
    if (await pgTransaction(this.prisma.pool, (tx) => this.rejectIn(tx, redemption, reason))) redemptionsMoved.inc({ state: 'rejected' });
    return { redemption: await this.load(redemption.id) };
  }

  /** Rejects a pending redemption (true when this call did); its PIN hash is dropped too, so the PIN may be tried again. */
  private async rejectIn(tx: SqlExecutor, redemption: Redemption, reason: RejectionReason): Promise<boolean> {
    const count = await executeNamed(tx, REJECT, [redemption.id, reason]);
    if (count === 1) await this.outbox.append(tx, redemptionRejectedV1, { redemptionId: redemption.id, userId: redemption.userId, reason });
    return count === 1;
  }

  /** Leaves the redemption pending for the retry job's next run. */
  private async postpone(id: string, error: string): Promise<Redemption> {
    await this.prisma.redemption.updateMany({ where: { id, state: 'pending' }, data: { lastError: error.slice(0, 500), nextAttemptAt: new Date() } });
    return this.load(id);
  }

  private load(id: string): Promise<Redemption> {
    return this.prisma.redemption.findUniqueOrThrow({ where: { id } });
  }
}
