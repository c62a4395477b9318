import { Injectable } from '@nestjs/common';
import { type DomainEvent, EventSubscriber, on, Outbox, type SqlExecutor } from '@bitro/messaging';
import { redemptionApprovedV1, walletCreditedV1, type PayloadOf } from '@bitro/service-api';
import { LedgerService } from '../ledger/ledger.service';
import { WalletPrisma, type WalletTx } from '../persistence/wallet-prisma';

/** The wallet's event consumer: credits approved gift-card redemptions. */
@EventSubscriber()
@Injectable()
export class WalletEventSubscriber implements EventSubscriber {
  readonly consumer = 'wallet';
  readonly handlers = [on(redemptionApprovedV1, (event, tx) => this.creditRedemption(event, tx))];

  constructor(
    private readonly prisma: WalletPrisma,
    private readonly ledger: LedgerService,
    private readonly outbox: Outbox,
  ) {}

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.prisma.transaction(work);
  }

  /** In the inbox transaction: the credit and its `wallet.credited.v1` commit together, or neither does. */
  private async creditRedemption(event: DomainEvent<PayloadOf<typeof redemptionApprovedV1>>, tx: SqlExecutor): Promise<void> {
    const { redemptionId, userId, brand, amountSats } = event.payload;
    // Handlers run inside this subscriber's transaction(), so `tx` is the wallet's Prisma transaction.
    const walletTx = tx as WalletTx;
    const { entry, replayed } = await this.ledger.post(walletTx, {
      kind: 'credit',
      userId,
      amountSats: BigInt(amountSats),
      reference: `redemption:${redemptionId}`,
      description: `${brand} gift card redemption`,
    });
    // A replay means another event already credited this redemption, and announced it.
    if (replayed) return;
    await this.outbox.append(tx, walletCreditedV1, { journalId: entry.journalId, userId, amountSats, reference: entry.reference });
  }
}
