import { Injectable, Logger } from '@nestjs/common';
import { withdrawalRequestedV1 } from '@bitro/gateway-contract';
import { type DomainEvent, type EventHandler, EventSubscriber, on, type SqlExecutor } from '@bitro/messaging';
import type { z } from 'zod';
import { WithdrawalDestinations } from '../features/addresses/withdrawal-destinations';
import type { Prisma } from '../generated/prisma/client';
import { GatewayPrisma } from '../persistence/gateway-prisma';
import { WithdrawalEvents } from '../features/withdrawals/withdrawal.publisher';

type WithdrawalRequested = z.output<(typeof withdrawalRequestedV1)['payload']>;

/** bitro-api's withdrawal requests become queued withdrawals, once per withdrawal id whatever the deliveries. */
@EventSubscriber()
@Injectable()
export class WithdrawalRequestSubscriber implements EventSubscriber {
  readonly consumer = 'gateway-withdrawals';
  readonly handlers: ReadonlyArray<EventHandler> = [on(withdrawalRequestedV1, (event, tx) => this.accept(event, tx as Prisma.TransactionClient))];
  private readonly logger = new Logger('WithdrawalSender');

  constructor(
    private readonly prisma: GatewayPrisma,
    private readonly destinations: WithdrawalDestinations,
    private readonly events: WithdrawalEvents,
  ) {}

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.prisma.$transaction((tx) => work(tx));
  }

  /** Handlers run inside transaction(), so `tx` is the gateway's Prisma transaction. */
  private async accept(event: DomainEvent<WithdrawalRequested>, tx: Prisma.TransactionClient): Promise<void> {
    const { withdrawalId, userId, amountSats, maxFeeSats } = event.payload;
    const address = event.payload.address.trim();
    const destination = this.destinations.check(address);
    const { count } = await tx.withdrawal.createMany({
      data: {
        id: withdrawalId,
        userId,
        address,
        amountSats: BigInt(amountSats),
        maxFeeSats: BigInt(maxFeeSats),
        requestedAt: new Date(event.occurredAt),
        ...(destination.valid
          ? { status: 'queued' }
          : { status: 'failed', failureReason: 'invalid-address', failureDetail: `${destination.reason}: ${destination.message}` }),
      },
      skipDuplicates: true,
    });
    if (count === 0) {
      this.logger.log(`withdrawal ${withdrawalId} requested again (event ${event.id}): already known`);
      return;
    }
    if (!destination.valid) {
      await this.events.failed(tx, { id: withdrawalId, userId }, 'invalid-address', `Bitro does not send to this address on ${this.destinations.network}: ${destination.message}.`);
    }
  }
}
