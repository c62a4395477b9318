import { Injectable } from '@nestjs/common';
import {
  depositConfirmedV1,
  depositDetectedV1,
  depositReversedV1,
  withdrawalBroadcastV1,
  withdrawalConfirmedV1,
  withdrawalFailedV1,
  withdrawalRequestedV1,
} from '@bitro/gateway-contract';
import { type DomainEvent, type EventContractLike, EventSubscriber, handlersIn, pgTransaction, type SqlExecutor } from '@bitro/messaging';
import { redemptionRejectedV1, userLoginNewDeviceV1, walletCreditedV1, walletWithdrawalRejectedV1 } from '@bitro/service-api';
import type { z } from 'zod';
import type { NotificationRequest } from '../features/catalogue/notification-types';
import { DeliveryDispatchSchedule } from '../features/delivery/delivery-dispatch.schedule';
import { Notifier } from '../features/inbox/notifier';
import { NotificationPrisma } from '../persistence/notification-prisma';

type Payload<C extends EventContractLike> = z.output<C['payload']>;

const onTx = handlersIn<SqlExecutor>();

/**
 * The notification domain's consumer of what users are notified of (the account e-mails have AccountMailConsumer).
 * "Redemption credited" is the wallet's credit of a redemption (the money arrived), not the gift-card approval; its
 * brand comes from the approval, which may arrive in any order, so it is not in the notification.
 */
@EventSubscriber()
@Injectable()
export class NotificationConsumer implements EventSubscriber {
  readonly consumer = 'notification';
  readonly handlers = [
    this.notifyOn(walletCreditedV1, (p) => {
      return p.redemptionId ? { type: 'redemption.credited', userId: p.userId, subject: p.redemptionId, facts: { amountSats: p.amountSats } } : null;
    }),
    this.notifyOn(redemptionRejectedV1, (p) => ({ type: 'redemption.rejected', userId: p.userId, subject: p.redemptionId, facts: { reason: p.reason } })),
    this.notifyOn(depositDetectedV1, (p) => ({ type: 'deposit.detected', userId: p.userId, subject: `${p.txid}:${p.vout}`, facts: depositFacts(p) })),
    this.notifyOn(depositConfirmedV1, (p) => ({
      type: 'deposit.confirmed',
      userId: p.userId,
      subject: `${p.txid}:${p.vout}:${p.blockHash}`,
      facts: { ...depositFacts(p), confirmations: p.confirmations },
    })),
    this.notifyOn(depositReversedV1, (p) => ({ type: 'deposit.reversed', userId: p.userId, subject: `${p.txid}:${p.vout}`, facts: { ...depositFacts(p), reason: p.reason } })),
    this.notifyOn(withdrawalRequestedV1, (p) => ({
      type: 'withdrawal.requested',
      userId: p.userId,
      subject: p.withdrawalId,
      facts: { withdrawalId: p.withdrawalId, amountSats: p.amountSats, address: p.address },
    })),
    this.notifyOn(withdrawalBroadcastV1, (p) => ({
      type: 'withdrawal.broadcast',
      userId: p.userId,
      subject: p.withdrawalId,
      facts: { withdrawalId: p.withdrawalId, txid: p.txid, feeSats: p.feeSats },
    })),
    this.notifyOn(withdrawalConfirmedV1, (p) => ({
      type: 'withdrawal.confirmed',
      userId: p.userId,
      subject: p.withdrawalId,
      facts: { withdrawalId: p.withdrawalId, txid: p.txid, feeSats: p.feeSats, confirmations: p.confirmations },
    })),
    this.notifyOn(withdrawalFailedV1, (p) => ({ type: 'withdrawal.failed', userId: p.userId, subject: p.withdrawalId, facts: { withdrawalId: p.withdrawalId, reason: p.reason } })),
    this.notifyOn(walletWithdrawalRejectedV1, (p) => ({
      type: 'withdrawal.rejected',
      userId: p.userId,
      subject: p.withdrawalId,
      facts: { withdrawalId: p.withdrawalId, amountSats: p.amountSats, address: p.address, reason: p.reason },
    })),
    this.notifyOn(userLoginNewDeviceV1, (p, event) => ({ type: 'login.new-device', userId: p.userId, subject: event.id, facts: { userAgent: p.userAgent, ip: p.ip } })),
  ];

  constructor(
    private readonly prisma: NotificationPrisma,
    private readonly notifier: Notifier,
    private readonly dispatch: DeliveryDispatchSchedule,
  ) {}

  /**
   * Handlers run inside it, on the domain's pool (they write with named statements, ADR 0036); a commit that queued a
   * delivery wakes the dispatch, so it is sent at once.
   */
  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    let transaction: SqlExecutor | undefined;
    const result = await pgTransaction(this.prisma.pool, (tx) => {
      transaction = tx;
      return work(tx);
    });
    if (transaction && this.notifier.queuedDeliveries(transaction)) this.dispatch.wake();
    return result;
  }

  /** A handler that turns the event into a notification request (null: nothing to notify) and writes it in the consumer's transaction. */
  private notifyOn<C extends EventContractLike>(contract: C, toRequest: (payload: Payload<C>, event: DomainEvent<Payload<C>>) => Omit<NotificationRequest, 'eventId'> | null) {
    return onTx(contract, async (event, tx) => {
      const request = toRequest(event.payload, event);
      if (request) await this.notifier.notify(tx, { ...request, eventId: event.id });
    });
  }
}

function depositFacts(p: { txid: string; vout: number; amountSats: string; address: string }) {
  return { txid: p.txid, vout: p.vout, amountSats: p.amountSats, address: p.address };
}
