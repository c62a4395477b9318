import { Injectable, Logger } from '@nestjs/common';
import type { PayloadOf, walletCreditedV1 } from '@bitro/service-api';
import { executeNamed, type SqlExecutor } from '@bitro/messaging';
import { redemptionsMoved } from './redemption-counters';

const MARK_CREDITED = {
  name: 'giftcard.redemption-mark-credited',
  text: `UPDATE "giftcard"."redemptions" SET state = 'credited', wallet_journal_id = $2::uuid, updated_at = now()
         WHERE id = $1::uuid AND user_id = $3::uuid AND state = 'verified'`,
};

/** The wallet credited a redemption: it is now `credited`, with the wallet's journal. */
@Injectable()
export class RedemptionCrediting {
  private readonly logger = new Logger('giftcard');

  async credit(tx: SqlExecutor, credit: PayloadOf<typeof walletCreditedV1>): Promise<void> {
    const { redemptionId } = credit;
    if (!redemptionId) return; // a credit for something else
    const updated = await executeNamed(tx, MARK_CREDITED, [redemptionId, credit.journalId, credit.userId]);
    // In the consumer's transaction: counted as it commits, or again if its batch is retried.
    if (updated > 0) redemptionsMoved.inc({ state: 'credited' });
    if (updated === 0) this.logger.warn(`wallet.credited for ${credit.reference}: no verified redemption of user ${credit.userId} with that id (already credited?)`);
  }
}
