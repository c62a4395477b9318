import { Injectable, Logger } from '@nestjs/common';
import { type EventHandler, EventSubscriber, on, type SqlExecutor } from '@bitro/messaging';
import { walletCreditedV1 } from '@bitro/service-api';
import { GiftcardPrisma } from '../persistence/giftcard-prisma';

/** The wallet credited a redemption: it is now `credited`. */
@Injectable()
@EventSubscriber()
export class WalletCreditedSubscriber implements EventSubscriber {
  readonly consumer = 'giftcard';
  private readonly logger = new Logger('giftcard');

  readonly handlers: ReadonlyArray<EventHandler> = [
    on(walletCreditedV1, async (event, tx) => {
      const { redemptionId } = event.payload;
      if (!redemptionId) return; // a credit for something else
      const updated = await tx.$executeRawUnsafe(
        `UPDATE "giftcard"."redemptions" SET state = 'credited', wallet_journal_id = $2::uuid, updated_at = now()
         WHERE id = $1::uuid AND user_id = $3::uuid AND state = 'verified'`,
        redemptionId,
        event.payload.journalId,
        event.payload.userId,
      );
      if (updated === 0) this.logger.warn(`wallet.credited for ${event.payload.reference}: no verified redemption of user ${event.payload.userId} with that id (already credited?)`);
    }),
  ];

  constructor(private readonly prisma: GiftcardPrisma) {}

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.prisma.$transaction((tx) => work(tx));
  }
}
