import { Injectable, Logger } from '@nestjs/common';
import type { withdrawalRequestedV1 } from '@bitro/gateway-contract';
import type { DomainEvent } from '@bitro/messaging';
import { currentCorrelationId, currentTraceCarrier } from '@bitro/tracing';
import type { z } from 'zod';
import type { BitcoinTx } from '../../persistence/bitcoin-prisma';
import { WithdrawalDestinations } from '../addresses/withdrawal-destinations';
import { WithdrawalPublisher } from './withdrawal.publisher';

type WithdrawalRequested = z.output<(typeof withdrawalRequestedV1)['payload']>;

/**
 * bitro-api's withdrawal requests become queued withdrawals, once per withdrawal id whatever the deliveries; one to an
 * address the gateway does not pay is stored failed and announced so.
 */
@Injectable()
export class WithdrawalQueueing {
  private readonly logger = new Logger('WithdrawalSender');

  constructor(
    private readonly destinations: WithdrawalDestinations,
    private readonly publisher: WithdrawalPublisher,
  ) {}

  async queue(event: DomainEvent<WithdrawalRequested>, tx: BitcoinTx): Promise<void> {
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
        // The payout, later, continues this handling's trace (see WithdrawalTraces).
        ...storedTraceContext(),
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
      await this.publisher.failed(tx, { id: withdrawalId, userId }, 'invalid-address', `Bitro does not send to this address on ${this.destinations.network}: ${destination.message}.`);
    }
  }
}

function storedTraceContext() {
  const { traceparent, tracestate } = currentTraceCarrier();
  return { traceparent: traceparent ?? null, tracestate: tracestate ?? null, correlationId: currentCorrelationId() ?? null };
}
