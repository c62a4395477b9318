import { Injectable, Logger } from '@nestjs/common';
import { withdrawalBroadcastV1, withdrawalConfirmedV1, withdrawalFailedV1 } from '@bitro/gateway-contract';
import { type DomainEvent, executeNamed, queryNamed, type SqlExecutor } from '@bitro/messaging';
import type { PayloadOf } from '@bitro/service-api';
import type { Withdrawal } from '../../persistence/wallet-prisma';
import { LedgerService } from '../ledger/ledger.service';
import { walletCounters } from '../ledger/wallet-counters';
import { withdrawalReferences } from './withdrawal-references';

/** What the handlers read of a withdrawal's row. */
type WithdrawalRow = Pick<Withdrawal, 'id' | 'userId' | 'status' | 'txid' | 'broadcastAt' | 'amountSats' | 'maxFeeSats'>;

// The handlers' statements, named on the consumer's connection (ADR 0038); every update sets updated_at (reconciliation).
const LOCK = {
  name: 'wallet.withdrawal-lock',
  text: `SELECT id::text AS id, user_id::text AS "userId", status::text AS status, txid, broadcast_at AS "broadcastAt",
                amount_sats::text AS "amountSats", max_fee_sats::text AS "maxFeeSats"
           FROM "wallet"."withdrawals" WHERE id = $1::uuid FOR UPDATE`,
};
const BROADCAST = {
  name: 'wallet.withdrawal-broadcast',
  text: `UPDATE "wallet"."withdrawals" SET status = 'broadcast', txid = $2, vout = $3::int, fee_sats = $4::bigint, broadcast_at = $5::timestamptz,
           updated_at = now() WHERE id = $1::uuid`,
};
const CONFIRMED = {
  name: 'wallet.withdrawal-confirmed',
  text: `UPDATE "wallet"."withdrawals" SET status = 'confirmed', txid = $2, vout = $3::int, fee_sats = $4::bigint, block_hash = $5,
           block_height = $6::int, confirmed_at = $7::timestamptz, updated_at = now() WHERE id = $1::uuid`,
};
const FAILED = {
  name: 'wallet.withdrawal-failed',
  text: `UPDATE "wallet"."withdrawals" SET status = 'failed', failure_reason = $2, failed_at = $3::timestamptz, updated_at = now() WHERE id = $1::uuid`,
};

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
  async broadcast(event: WithdrawalEvent<typeof withdrawalBroadcastV1>, tx: SqlExecutor): Promise<void> {
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
    await executeNamed(tx, BROADCAST, [withdrawal.id, txid, vout, feeSats, event.occurredAt]);
    // A replacement's broadcast is the same withdrawal sent again.
    if (withdrawal.status === 'requested') walletCounters.withdrawals.inc({ state: 'sent' });
  }

  /** Mined: the amount and the fee actually paid leave the hold for good, the rest of it returns to the user. */
  async confirmed(event: WithdrawalEvent<typeof withdrawalConfirmedV1>, tx: SqlExecutor): Promise<void> {
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
    await executeNamed(tx, CONFIRMED, [withdrawal.id, txid, vout, feeSats, blockHash, blockHeight, event.occurredAt]);
    walletCounters.withdrawals.inc({ state: 'confirmed' });
  }

  /** Not paid (nothing was broadcast): the whole hold returns to the user. */
  async failed(event: WithdrawalEvent<typeof withdrawalFailedV1>, tx: SqlExecutor): Promise<void> {
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
    await executeNamed(tx, FAILED, [withdrawal.id, reason, event.occurredAt]);
    walletCounters.withdrawals.inc({ state: 'failed' });
  }

  /** The withdrawal the event is about, locked until `tx` ends; an event about an unknown one is an error. */
  private async lock(tx: SqlExecutor, event: WithdrawalEvent<typeof withdrawalBroadcastV1 | typeof withdrawalConfirmedV1 | typeof withdrawalFailedV1>): Promise<WithdrawalRow> {
    const { withdrawalId, userId } = event.payload;
    const [row] = await queryNamed<Omit<WithdrawalRow, 'amountSats' | 'maxFeeSats'> & { amountSats: string; maxFeeSats: string }>(tx, LOCK, [withdrawalId]);
    const withdrawal = row && { ...row, amountSats: BigInt(row.amountSats), maxFeeSats: BigInt(row.maxFeeSats), broadcastAt: row.broadcastAt && new Date(row.broadcastAt) };
    if (!withdrawal || withdrawal.userId !== userId.toLowerCase()) throw new Error(`${event.name} ${event.id} is about withdrawal ${withdrawalId} of user ${userId}, which does not exist`);
    return withdrawal;
  }
}
