import { Injectable, Logger } from '@nestjs/common';
import type { PayloadOf, walletCreditedV1 } from '@bitro/service-api';
import { CommitBatch, queryNamed, type SqlExecutor } from '@bitro/messaging';
import { redemptionsMoved } from './redemption-counters';

type Credit = PayloadOf<typeof walletCreditedV1> & { redemptionId: string };

/** The credits of one transaction, in one statement; answers the redemptions it moved to `credited`. */
const MARK_CREDITED = {
  name: 'giftcard.redemptions-mark-credited',
  text: `UPDATE "giftcard"."redemptions" r SET state = 'credited', wallet_journal_id = c.journal_id, updated_at = now()
           FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) AS c(id, journal_id, user_id)
          WHERE r.id = c.id AND r.user_id = c.user_id AND r.state = 'verified'
      RETURNING r.id::text AS id`,
};

/**
 * The wallet credited a redemption: it is now `credited`, with the wallet's journal. The credits of a consumer's batch
 * are written together just before its transaction commits.
 */
@Injectable()
export class RedemptionCrediting {
  private readonly logger = new Logger('giftcard');
  private readonly credits = new CommitBatch<Credit>((tx, credits) => this.markCredited(tx, credits));

  async credit(tx: SqlExecutor, credit: PayloadOf<typeof walletCreditedV1>): Promise<void> {
    const { redemptionId } = credit;
    if (!redemptionId) return; // a credit for something else
    await this.credits.add(tx, { ...credit, redemptionId });
  }

  private async markCredited(tx: SqlExecutor, credits: Credit[]): Promise<void> {
    const rows = await queryNamed<{ id: string }>(tx, MARK_CREDITED, [
      credits.map((credit) => credit.redemptionId),
      credits.map((credit) => credit.journalId),
      credits.map((credit) => credit.userId),
    ]);
    // In the consumer's transaction: counted as it commits, or again if its batch is retried.
    if (rows.length > 0) redemptionsMoved.inc({ state: 'credited' }, rows.length);
    const marked = new Set(rows.map((row) => row.id));
    for (const credit of credits) {
      if (!marked.has(credit.redemptionId.toLowerCase())) {
        this.logger.warn(`wallet.credited for ${credit.reference}: no verified redemption of user ${credit.userId} with that id (already credited?)`);
      }
    }
  }
}
