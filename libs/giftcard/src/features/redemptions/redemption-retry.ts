import { Inject, Injectable, Logger } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import { GiftcardPrisma, type Redemption } from '../../persistence/giftcard-prisma';
import { PinVault } from './pin-vault';
import { processingLeaseMs } from './processing-lease';
import { RedemptionProcessor } from './redemption-processor';

const BATCH = 20;
/** Bounds one run, so a backlog is worked off across runs rather than in one endless job. */
const MAX_BATCHES_PER_RUN = 50;

/**
 * One run of the redemption retry: finishes redemptions left pending (issuer or price feed down, a crash). Takes the
 * due ones with FOR UPDATE SKIP LOCKED and leases them (next_attempt_at moves forward), so several workers share them
 * and none is processed twice at once; then processes each with its unsealed PIN.
 */
@Injectable()
export class RedemptionRetry {
  private readonly logger = new Logger('giftcard');
  private readonly leaseMs: number;

  constructor(
    private readonly prisma: GiftcardPrisma,
    private readonly vault: PinVault,
    private readonly processor: RedemptionProcessor,
    @Inject(BITRO_ENV) env: BitroEnv,
  ) {
    this.leaseMs = processingLeaseMs(env);
  }

  /** Processes every due pending redemption; returns how many it tried. */
  async run(): Promise<number> {
    let tried = 0;
    for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
      const due = await this.claimDue();
      for (const redemption of due) {
        tried++;
        await this.retry(redemption);
      }
      if (due.length < BATCH) break;
    }
    return tried;
  }

  private claimDue(): Promise<Redemption[]> {
    return this.prisma.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<Array<{ id: string }>>`
        SELECT id FROM "giftcard"."redemptions"
        WHERE state = 'pending' AND next_attempt_at <= now()
        ORDER BY next_attempt_at, id
        LIMIT ${BATCH}
        FOR UPDATE SKIP LOCKED`;
      if (rows.length === 0) return [];
      const ids = rows.map((row) => row.id);
      await tx.redemption.updateMany({
        where: { id: { in: ids } },
        data: { nextAttemptAt: new Date(Date.now() + this.leaseMs), attempts: { increment: 1 } },
      });
      return tx.redemption.findMany({ where: { id: { in: ids } } });
    });
  }

  private async retry(redemption: Redemption): Promise<void> {
    if (!redemption.pinCiphertext) {
      this.logger.error(`Pending redemption ${redemption.id} has no sealed PIN; it cannot be retried.`);
      return;
    }
    let pin: string;
    try {
      pin = this.vault.open(redemption.pinCiphertext, redemption.id);
    } catch (error) {
      // PIN_HASH_KEY changed, or the row was tampered with: leave it for an operator.
      this.logger.error(`Pending redemption ${redemption.id}: the sealed PIN cannot be opened (${(error as Error).message}).`);
      return;
    }
    const { redemption: after } = await this.processor.process(redemption, pin);
    this.logger.log(`Retried redemption ${redemption.id} (attempt ${redemption.attempts}): ${after.state}`);
  }
}
