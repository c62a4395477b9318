import { Injectable, Logger } from '@nestjs/common';
import { depositConfirmedV1, depositDetectedV1, depositReversedV1 } from '@bitro/gateway-contract';
import { type DomainEvent, executeNamed, queryNamed, type SqlExecutor } from '@bitro/messaging';
import type { PayloadOf } from '@bitro/service-api';
import type { Deposit } from '../../persistence/wallet-prisma';
import { LedgerService } from '../ledger/ledger.service';
import { walletCounters } from '../ledger/wallet-counters';

type DepositEvent<C extends typeof depositDetectedV1 | typeof depositConfirmedV1 | typeof depositReversedV1> = DomainEvent<PayloadOf<C>>;

/** What the handlers read of a deposit's row. */
type DepositRow = Pick<Deposit, 'id' | 'userId' | 'txid' | 'vout' | 'address' | 'status' | 'credits' | 'lastEventAt'> & { amountSats: bigint; shortfallSats: bigint };

const outpoint = (deposit: Pick<Deposit, 'txid' | 'vout'>) => `${deposit.txid}:${deposit.vout}`;

// The handlers' statements, named on the consumer's connection (ADR 0038). Every update sets updated_at: reconciliation
// reads the deposits that changed in a window by it.
const CREATE = {
  name: 'wallet.deposit-create',
  text: `INSERT INTO "wallet"."deposits" (id, user_id, address, txid, vout, amount_sats, status, detected_at, last_event_at)
         VALUES (gen_random_uuid(), $1::uuid, $2, $3, $4::int, $5::bigint, 'detected', $6::timestamptz, $6::timestamptz)
         ON CONFLICT DO NOTHING`,
};
const LOCK = {
  name: 'wallet.deposit-lock',
  text: `SELECT id::text AS id, user_id::text AS "userId", txid, vout, address, amount_sats::text AS "amountSats", status::text AS status,
                credits, shortfall_sats::text AS "shortfallSats", last_event_at AS "lastEventAt"
           FROM "wallet"."deposits" WHERE txid = $1 AND vout = $2::int FOR UPDATE`,
};
const SEEN = {
  name: 'wallet.deposit-seen',
  text: `UPDATE "wallet"."deposits" SET status = 'detected', confirmations = $2::int, block_hash = $3, block_height = $4::int,
           last_event_at = $5::timestamptz, updated_at = now() WHERE id = $1::uuid`,
};
const TOUCHED = {
  name: 'wallet.deposit-touched',
  text: `UPDATE "wallet"."deposits" SET last_event_at = $2::timestamptz, updated_at = now() WHERE id = $1::uuid`,
};
const MINED_DEEPER = {
  name: 'wallet.deposit-mined-deeper',
  text: `UPDATE "wallet"."deposits" SET confirmations = $2::int, block_hash = $3, block_height = $4::int, last_event_at = $5::timestamptz,
           updated_at = now() WHERE id = $1::uuid`,
};
const CONFIRMED = {
  name: 'wallet.deposit-confirmed',
  text: `UPDATE "wallet"."deposits" SET status = 'confirmed', credits = $2::int, shortfall_sats = 0, confirmations = $3::int, block_hash = $4,
           block_height = $5::int, confirmed_at = $6::timestamptz, last_event_at = $6::timestamptz, updated_at = now() WHERE id = $1::uuid`,
};
const REVERSED = {
  name: 'wallet.deposit-reversed',
  text: `UPDATE "wallet"."deposits" SET status = 'reversed', shortfall_sats = $2::bigint, confirmations = 0, block_hash = NULL,
           block_height = NULL, reversed_at = $3::timestamptz, last_event_at = $3::timestamptz, updated_at = now() WHERE id = $1::uuid`,
};

/**
 * Credits deposits as bitcoin-gateway reports them: applies its deposit events to the `deposits` row of their
 * output, in the consumer's transaction.
 * Events of one output may be delivered twice and in any order: each handler locks the row, ignores an event
 * older than the newest one applied (gateway time), and credits or reverses only on a change of state, so a
 * confirmed deposit is credited exactly once per confirmation.
 */
@Injectable()
export class DepositCrediting {
  private readonly logger = new Logger(DepositCrediting.name);

  constructor(private readonly ledger: LedgerService) {}

  /** Seen, not spendable yet: recorded, no money moves (a credited deposit stays as it is). */
  async detected(event: DepositEvent<typeof depositDetectedV1>, tx: SqlExecutor): Promise<void> {
    const deposit = await this.lock(tx, event);
    if (!deposit) return;
    const { confirmations, blockHash, blockHeight } = event.payload;
    if (deposit.status === 'confirmed') await executeNamed(tx, TOUCHED, [deposit.id, event.occurredAt]);
    else await executeNamed(tx, SEEN, [deposit.id, confirmations, blockHash, blockHeight, event.occurredAt]);
  }

  /**
   * Credits the deposit unless it is credited already. A re-mined deposit is credited again, less the
   * shortfall its reversal left (what the user had spent of it and still owes).
   */
  async confirmed(event: DepositEvent<typeof depositConfirmedV1>, tx: SqlExecutor): Promise<void> {
    const deposit = await this.lock(tx, event);
    if (!deposit) return;
    const { confirmations, blockHash, blockHeight } = event.payload;
    if (deposit.status === 'confirmed') {
      await executeNamed(tx, MINED_DEEPER, [deposit.id, confirmations, blockHash, blockHeight, event.occurredAt]);
      return;
    }
    const credits = deposit.credits + 1;
    const creditSats = deposit.amountSats - deposit.shortfallSats;
    if (creditSats > 0n) {
      await this.ledger.post(tx, {
        kind: 'deposit',
        userId: deposit.userId,
        amountSats: creditSats,
        reference: `deposit:${outpoint(deposit)}:${credits}`,
        description: `Bitcoin deposit ${outpoint(deposit)}`,
      });
    }
    if (deposit.shortfallSats > 0n) this.logger.log(`Deposit ${outpoint(deposit)} confirmed again: its shortfall of ${deposit.shortfallSats} sats is settled`);
    await executeNamed(tx, CONFIRMED, [deposit.id, credits, confirmations, blockHash, blockHeight, event.occurredAt]);
    walletCounters.deposits.inc({ state: 'confirmed' });
  }

  /**
   * Takes back a credited deposit's amount. The user's available balance never goes negative: what they
   * have already spent is recorded as the deposit's shortfall, for operators to settle.
   */
  async reversed(event: DepositEvent<typeof depositReversedV1>, tx: SqlExecutor): Promise<void> {
    const deposit = await this.lock(tx, event);
    if (!deposit) return;
    let shortfallSats = deposit.shortfallSats;
    if (deposit.status === 'confirmed') {
      const { availableSats } = await this.ledger.lockAccounts(tx, deposit.userId, ['deposit_reversal']);
      const reversedSats = availableSats < deposit.amountSats ? availableSats : deposit.amountSats;
      if (reversedSats > 0n) {
        await this.ledger.post(tx, {
          kind: 'deposit_reversal',
          userId: deposit.userId,
          amountSats: reversedSats,
          reference: `deposit-reversal:${outpoint(deposit)}:${deposit.credits}`,
          description: `Bitcoin deposit ${outpoint(deposit)} reversed (${event.payload.reason})`,
        });
      }
      const shortSats = deposit.amountSats - reversedSats;
      if (shortSats > 0n) {
        this.logger.error(
          `Deposit ${outpoint(deposit)} of user ${deposit.userId} was reversed (${event.payload.reason}) but only ${reversedSats} of its ` +
            `${deposit.amountSats} sats were still available: the user owes ${shortSats} sats (deposits.shortfall_sats).`,
        );
      }
      shortfallSats += shortSats;
    }
    await executeNamed(tx, REVERSED, [deposit.id, shortfallSats, event.occurredAt]);
    if (deposit.status !== 'reversed') walletCounters.deposits.inc({ state: 'reversed' });
  }

  /**
   * The output's row, created on its first event and locked until `tx` ends; null when the event is older
   * than the last one applied to it (a late delivery whose news is out of date).
   */
  private async lock(tx: SqlExecutor, event: DepositEvent<typeof depositDetectedV1 | typeof depositConfirmedV1 | typeof depositReversedV1>): Promise<DepositRow | null> {
    const { userId, address, txid, vout } = event.payload;
    const amountSats = BigInt(event.payload.amountSats);
    const at = new Date(event.occurredAt);
    const created = await executeNamed(tx, CREATE, [userId, address, txid, vout, amountSats, event.occurredAt]);
    if (created > 0) walletCounters.deposits.inc({ state: 'detected' });
    const [row] = await queryNamed<Omit<DepositRow, 'amountSats' | 'shortfallSats'> & { amountSats: string; shortfallSats: string }>(tx, LOCK, [txid, vout]);
    if (!row) throw new Error(`Deposit ${txid}:${vout} vanished after it was recorded`);
    const deposit: DepositRow = { ...row, amountSats: BigInt(row.amountSats), shortfallSats: BigInt(row.shortfallSats), lastEventAt: new Date(row.lastEventAt) };
    if (deposit.userId !== userId.toLowerCase() || deposit.address !== address || deposit.amountSats !== amountSats) {
      throw new Error(
        `${event.name} ${event.id} reports deposit ${outpoint(deposit)} as ${amountSats} sats to ${address} of user ${userId}, ` +
          `but it was recorded as ${deposit.amountSats} sats to ${deposit.address} of user ${deposit.userId}`,
      );
    }
    if (at < deposit.lastEventAt) {
      this.logger.log(`Ignored ${event.name} ${event.id} of ${event.occurredAt}: deposit ${outpoint(deposit)} has newer news`);
      return null;
    }
    return deposit;
  }
}
