import { Injectable } from '@nestjs/common';
import {
  depositConfirmedV1,
  depositDetectedV1,
  depositReversedV1,
  withdrawalBroadcastV1,
  withdrawalConfirmedV1,
  withdrawalFailedV1,
} from '@bitro/gateway-contract';
import { type DomainEvent, type EventContractLike, EventSubscriber, on, type SqlExecutor } from '@bitro/messaging';
import { redemptionApprovedV1 } from '@bitro/service-api';
import type { z } from 'zod';
import { DepositEvents } from '../deposits/deposit-events';
import { WalletPrisma, type WalletTx } from '../persistence/wallet-prisma';
import { RedemptionCredit } from '../redemptions/redemption-credit';
import { WithdrawalEvents } from '../withdrawals/withdrawal-events';

/**
 * Handlers run inside this subscriber's transaction(), so their `tx` is the wallet's Prisma transaction:
 * what they write commits together with the event's inbox row.
 */
function inWalletTx<C extends EventContractLike>(contract: C, handle: (event: DomainEvent<z.output<C['payload']>>, tx: WalletTx) => Promise<void>) {
  return on(contract, (event, tx) => handle(event, tx as WalletTx));
}

/** The wallet's event consumer: credits approved gift-card redemptions; follows the gateway's deposits and withdrawals. */
@EventSubscriber()
@Injectable()
export class WalletEventSubscriber implements EventSubscriber {
  readonly consumer = 'wallet';
  readonly handlers = [
    inWalletTx(redemptionApprovedV1, (event, tx) => this.redemptions.approved(event, tx)),
    inWalletTx(depositDetectedV1, (event, tx) => this.deposits.detected(event, tx)),
    inWalletTx(depositConfirmedV1, (event, tx) => this.deposits.confirmed(event, tx)),
    inWalletTx(depositReversedV1, (event, tx) => this.deposits.reversed(event, tx)),
    inWalletTx(withdrawalBroadcastV1, (event, tx) => this.withdrawals.broadcast(event, tx)),
    inWalletTx(withdrawalConfirmedV1, (event, tx) => this.withdrawals.confirmed(event, tx)),
    inWalletTx(withdrawalFailedV1, (event, tx) => this.withdrawals.failed(event, tx)),
  ];

  constructor(
    private readonly prisma: WalletPrisma,
    private readonly redemptions: RedemptionCredit,
    private readonly deposits: DepositEvents,
    private readonly withdrawals: WithdrawalEvents,
  ) {}

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.prisma.transaction(work);
  }
}
