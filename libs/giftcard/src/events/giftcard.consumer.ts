import { Injectable } from '@nestjs/common';
import { type EventHandler, EventSubscriber, handlersIn, pgTransaction, type SqlExecutor } from '@bitro/messaging';
import { walletCreditedV1 } from '@bitro/service-api';
import { RedemptionCrediting } from '../features/redemptions/redemption-crediting';
import { GiftcardPrisma } from '../persistence/giftcard-prisma';

const onTx = handlersIn<SqlExecutor>();

/**
 * Every event the gift-card domain consumes, each handed to its use case in a transaction on the domain's pool (its
 * handlers write with named statements, not through the ORM: ADR 0036).
 */
@Injectable()
@EventSubscriber()
export class GiftcardConsumer implements EventSubscriber {
  readonly consumer = 'giftcard';

  readonly handlers: ReadonlyArray<EventHandler> = [onTx(walletCreditedV1, (event, tx) => this.crediting.credit(tx, event.payload))];

  constructor(
    private readonly prisma: GiftcardPrisma,
    private readonly crediting: RedemptionCrediting,
  ) {}

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return pgTransaction(this.prisma.pool, work);
  }
}
