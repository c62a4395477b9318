import { Injectable } from '@nestjs/common';
import { type DomainEvent, Outbox, type SqlExecutor } from '@bitro/messaging';
import { type PayloadOf, redemptionApprovedV1, walletCreditedV1 } from '@bitro/service-api';
import { LedgerService } from '../ledger/ledger.service';

/** The ledger reference of a redemption's credit (reconciliation reads the credits by it). */
export const REDEMPTION_CREDIT_PREFIX = 'redemption:';

/** Credits an approved gift-card redemption. */
@Injectable()
export class RedemptionCrediting {
  constructor(
    private readonly ledger: LedgerService,
    private readonly outbox: Outbox,
  ) {}

  /** In the inbox transaction: the credit and its `wallet.credited.v1` commit together, or neither does. */
  async approved(event: DomainEvent<PayloadOf<typeof redemptionApprovedV1>>, tx: SqlExecutor): Promise<void> {
    const { redemptionId, userId, brand, amountSats } = event.payload;
    const { entry, replayed } = await this.ledger.post(tx, {
      kind: 'credit',
      userId,
      amountSats: BigInt(amountSats),
      reference: `${REDEMPTION_CREDIT_PREFIX}${redemptionId}`,
      description: `${brand} gift card redemption`,
    });
    // A replay means another event already credited this redemption, and announced it.
    if (replayed) return;
    await this.outbox.append(tx, walletCreditedV1, { journalId: entry.journalId, userId, amountSats, reference: entry.reference, redemptionId });
  }
}
