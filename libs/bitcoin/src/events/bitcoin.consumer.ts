import { Injectable } from '@nestjs/common';
import { withdrawalRequestedV1 } from '@bitro/gateway-contract';
import { type EventHandler, EventSubscriber, handlersIn, type SqlExecutor } from '@bitro/messaging';
import { WithdrawalQueueing } from '../features/withdrawals/withdrawal-queueing';
import { WithdrawalSendSchedule } from '../features/withdrawals/withdrawal-send.schedule';
import { BitcoinPrisma, type BitcoinTx } from '../persistence/bitcoin-prisma';

const onTx = handlersIn<BitcoinTx>();

/** Every event the gateway consumes (bitro-api's commands, queue `gateway-commands`), each handed to a use case. */
@EventSubscriber()
@Injectable()
export class BitcoinConsumer implements EventSubscriber {
  /** Names its queue and its inbox records: renaming it would orphan both. */
  readonly consumer = 'gateway-withdrawals';
  readonly handlers: ReadonlyArray<EventHandler> = [onTx(withdrawalRequestedV1, (event, tx) => this.withdrawals.queue(event, tx))];

  constructor(
    private readonly prisma: BitcoinPrisma,
    private readonly withdrawals: WithdrawalQueueing,
    private readonly sending: WithdrawalSendSchedule,
  ) {}

  /** Handlers run inside it, so their `tx` is the gateway's Prisma transaction; a committed request wakes the sender. */
  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const result = await this.prisma.$transaction((tx) => work(tx));
    this.sending.wake();
    return result;
  }
}
