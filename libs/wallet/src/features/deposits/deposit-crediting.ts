import { Injectable, Logger } from '@nestjs/common';
import { depositConfirmedV1, depositDetectedV1, depositReversedV1 } from '@bitro/gateway-contract';
import type { DomainEvent } from '@bitro/messaging';
import type { PayloadOf } from '@bitro/service-api';
import type { Deposit, WalletTx } from '../../persistence/wallet-prisma';
import { LedgerService } from '../ledger/ledger.service';
import { walletCounters } from '../ledger/wallet-counters';

type DepositEvent<C extends typeof depositDetectedV1 | typeof depositConfirmedV1 | typeof depositReversedV1> = DomainEvent<PayloadOf<C>>;

const outpoint = (deposit: Pick<Deposit, 'txid' | 'vout'>) => `${deposit.txid}:${deposit.vout}`;

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
  async detected(event: DepositEvent<typeof depositDetectedV1>, tx: WalletTx): Promise<void> {
    const deposit = await this.lock(tx, event);
    if (!deposit) return;
    const { confirmations, blockHash, blockHeight } = event.payload;
    const data = deposit.status === 'confirmed' ? {} : { status: 'detected' as const, confirmations, blockHash, blockHeight };
    await tx.deposit.update({ where: { id: deposit.id }, data: { ...data, lastEventAt: new Date(event.occurredAt) } });
  }

  /**
   * Credits the deposit unless it is credited already. A re-mined deposit is credited again, less the
   * shortfall its reversal left (what the user had spent of it and still owes).
   */
  async confirmed(event: DepositEvent<typeof depositConfirmedV1>, tx: WalletTx): Promise<void> {
    const deposit = await this.lock(tx, event);
    if (!deposit) return;
    const at = new Date(event.occurredAt);
    const { confirmations, blockHash, blockHeight } = event.payload;
    if (deposit.status === 'confirmed') {
      await tx.deposit.update({ where: { id: deposit.id }, data: { confirmations, blockHash, blockHeight, lastEventAt: at } });
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
    await tx.deposit.update({
      where: { id: deposit.id },
      data: { status: 'confirmed', credits, shortfallSats: 0n, confirmations, blockHash, blockHeight, confirmedAt: at, lastEventAt: at },
    });
    walletCounters.deposits.inc({ state: 'confirmed' });
  }

  /**
   * Takes back a credited deposit's amount. The user's available balance never goes negative: what they
   * have already spent is recorded as the deposit's shortfall, for operators to settle.
   */
  async reversed(event: DepositEvent<typeof depositReversedV1>, tx: WalletTx): Promise<void> {
    const deposit = await this.lock(tx, event);
    if (!deposit) return;
    const at = new Date(event.occurredAt);
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
    await tx.deposit.update({
      where: { id: deposit.id },
      data: { status: 'reversed', shortfallSats, confirmations: 0, blockHash: null, blockHeight: null, reversedAt: at, lastEventAt: at },
    });
    if (deposit.status !== 'reversed') walletCounters.deposits.inc({ state: 'reversed' });
  }

  /**
   * The output's row, created on its first event and locked until `tx` ends; null when the event is older
   * than the last one applied to it (a late delivery whose news is out of date).
   */
  private async lock(tx: WalletTx, event: DepositEvent<typeof depositDetectedV1 | typeof depositConfirmedV1 | typeof depositReversedV1>): Promise<Deposit | null> {
    const { userId, address, txid, vout } = event.payload;
    const amountSats = BigInt(event.payload.amountSats);
    const at = new Date(event.occurredAt);
    const { count: created } = await tx.deposit.createMany({
      data: [{ userId, address, txid, vout, amountSats, status: 'detected', detectedAt: at, lastEventAt: at }],
      skipDuplicates: true,
    });
    if (created > 0) walletCounters.deposits.inc({ state: 'detected' });
    await tx.$executeRaw`SELECT 1 FROM "wallet"."deposits" WHERE txid = ${txid} AND vout = ${vout} FOR UPDATE`;
    const deposit = await tx.deposit.findUniqueOrThrow({ where: { txid_vout: { txid, vout } } });
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
