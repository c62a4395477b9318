import { Injectable, Logger } from '@nestjs/common';
import { withdrawalBroadcastV1, withdrawalConfirmedV1, withdrawalFailedV1 } from '@bitro/gateway-contract';
import type { DomainEvent } from '@bitro/messaging';
import type { PayloadOf } from '@bitro/service-api';
import type { Withdrawal, WalletTx } from '../../persistence/wallet-prisma';
import { LedgerService } from '../ledger/ledger.service';
import { walletCounters } from '../ledger/wallet-counters';
import { withdrawalReferences } from './withdrawal-references';

type WithdrawalEvent<C extends typeof withdrawalBroadcastV1 | typeof withdrawalConfirmedV1 | typeof withdrawalFailedV1> = DomainEvent<PayloadOf<C>>;

/**
 * Settles a withdrawal as bitcoin-gateway reports its progress (broadcast, confirmed: settled; failed: released), in
 * the consumer's transaction, with its row locked. Confirmed and failed are final; events are idempotent and may
 * arrive in any order.
 */
@Injectable()
export class WithdrawalSettlement {
  private readonly logger = new Logger(WithdrawalSettlement.name);

  constructor(private readonly ledger: LedgerService) {}

  /** Broadcast, or re-broadcast as a fee-bumping replacement (a newer broadcast with another txid). No money moves. */
  async broadcast(event: WithdrawalEvent<typeof withdrawalBroadcastV1>, tx: WalletTx): Promise<void> {
    const withdrawal = await this.lock(tx, event);
    const at = new Date(event.occurredAt);
    const { txid, vout, feeSats } = event.payload;
    if (withdrawal.status === 'confirmed') return;
    if (withdrawal.status === 'failed') {
      this.logger.error(`Withdrawal ${withdrawal.id} was broadcast as ${txid} after it failed and its hold was released: reconcile it`);
      return;
    }
    // A late report of the transaction that a replacement already superseded.
    if (withdrawal.broadcastAt && at < withdrawal.broadcastAt) return;
    await tx.withdrawal.update({ where: { id: withdrawal.id }, data: { status: 'broadcast', txid, vout, feeSats: BigInt(feeSats), broadcastAt: at } });
    // A replacement's broadcast is the same withdrawal sent again.
    if (withdrawal.status === 'requested') walletCounters.withdrawals.inc({ state: 'sent' });
  }

  /** Mined: the amount and the fee actually paid leave the hold for good, the rest of it returns to the user. */
  async confirmed(event: WithdrawalEvent<typeof withdrawalConfirmedV1>, tx: WalletTx): Promise<void> {
    const withdrawal = await this.lock(tx, event);
    const { txid, vout, blockHash, blockHeight } = event.payload;
    if (withdrawal.status === 'confirmed') return;
    if (withdrawal.status === 'failed') {
      this.logger.error(`Withdrawal ${withdrawal.id} was confirmed as ${txid} after it failed and its hold was released: reconcile it`);
      return;
    }
    const feeSats = BigInt(event.payload.feeSats);
    const references = withdrawalReferences(withdrawal.id);
    const closing = { userId: withdrawal.userId, holdReference: references.hold };
    await this.ledger.lockAccounts(tx, withdrawal.userId, ['settle', 'release']);
    await this.ledger.post(tx, {
      ...closing,
      kind: 'settle',
      amountSats: withdrawal.amountSats + feeSats,
      reference: references.settle,
      description: `Withdrawal ${txid}:${vout} (${withdrawal.amountSats} sats + ${feeSats} sats fee)`,
    });
    if (feeSats < withdrawal.maxFeeSats) {
      await this.ledger.post(tx, { ...closing, kind: 'release', reference: references.release, description: 'Withdrawal fee reserve not needed' });
    }
    await tx.withdrawal.update({
      where: { id: withdrawal.id },
      data: { status: 'confirmed', txid, vout, feeSats, blockHash, blockHeight, confirmedAt: new Date(event.occurredAt) },
    });
    walletCounters.withdrawals.inc({ state: 'confirmed' });
  }

  /** Not paid (nothing was broadcast): the whole hold returns to the user. */
  async failed(event: WithdrawalEvent<typeof withdrawalFailedV1>, tx: WalletTx): Promise<void> {
    const withdrawal = await this.lock(tx, event);
    const { reason, detail } = event.payload;
    if (withdrawal.status === 'failed') return;
    if (withdrawal.status !== 'requested') {
      this.logger.error(`Withdrawal ${withdrawal.id} reported failed (${reason}: ${detail}) while ${withdrawal.status} as ${withdrawal.txid}: left as it is`);
      return;
    }
    const references = withdrawalReferences(withdrawal.id);
    await this.ledger.post(tx, {
      kind: 'release',
      userId: withdrawal.userId,
      holdReference: references.hold,
      reference: references.release,
      description: `Withdrawal failed (${reason})`,
    });
    this.logger.warn(`Withdrawal ${withdrawal.id} failed (${reason}): ${detail}`);
    await tx.withdrawal.update({ where: { id: withdrawal.id }, data: { status: 'failed', failureReason: reason, failedAt: new Date(event.occurredAt) } });
    walletCounters.withdrawals.inc({ state: 'failed' });
  }

  /** The withdrawal the event is about, locked until `tx` ends; an event about an unknown one is an error. */
  private async lock(tx: WalletTx, event: WithdrawalEvent<typeof withdrawalBroadcastV1 | typeof withdrawalConfirmedV1 | typeof withdrawalFailedV1>): Promise<Withdrawal> {
    const { withdrawalId, userId } = event.payload;
    await tx.$executeRaw`SELECT 1 FROM "wallet"."withdrawals" WHERE id = ${withdrawalId}::uuid FOR UPDATE`;
    const withdrawal = await tx.withdrawal.findUnique({ where: { id: withdrawalId } });
    if (!withdrawal || withdrawal.userId !== userId.toLowerCase()) throw new Error(`${event.name} ${event.id} is about withdrawal ${withdrawalId} of user ${userId}, which does not exist`);
    return withdrawal;
  }
}
