import { Injectable } from '@nestjs/common';
import { type EventHandler, EventSubscriber, handlersIn, type SqlExecutor } from '@bitro/messaging';
import { walletCreditedV1 } from '@bitro/service-api';
import { RedemptionCrediting } from '../features/redemptions/redemption-crediting';
import { GiftcardPrisma, type GiftcardTx } from '../persistence/giftcard-prisma';

const onTx = handlersIn<GiftcardTx>();

/** Every event the gift-card domain consumes, each handed to its use case in a gift-card transaction. */
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
    return this.prisma.$transaction((tx) => work(tx));
  }
}
