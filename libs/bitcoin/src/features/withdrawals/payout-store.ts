import { Injectable } from '@nestjs/common';
import { AddressValidator } from '../addresses/address-validator';
import type { Payout, Prisma, Withdrawal, WithdrawalStatus } from '../../generated/prisma/client';
import { BitcoinPrisma } from '../../persistence/bitcoin-prisma';
import { withdrawalFeeShares } from './fee-split';
import { type BlockConfirmation, type WithdrawalFailureReason, WithdrawalPublisher } from './withdrawal.publisher';

/** A signed transaction, not yet persisted. */
export interface SignedTransaction {
  txid: string;
  rawHex: string;
  feeSats: bigint;
  vsize: number;
}

export interface PayoutAssignment {
  withdrawal: Withdrawal;
  vout: number;
  feeSats: bigint;
}

export interface WithdrawalFailure {
  withdrawal: Withdrawal;
  reason: WithdrawalFailureReason;
  detail: string;
}

export type PayoutWithWithdrawals = Payout & { withdrawals: Withdrawal[] };

const BY_AGE = [{ createdAt: 'asc' }, { id: 'asc' }] satisfies Prisma.PayoutOrderByWithRelationInput[];

/**
 * The state changes of withdrawals and payouts, each in one database transaction with the events it announces.
 * Every change is guarded by the status it starts from, so a repeated step changes nothing.
 */
@Injectable()
export class PayoutStore {
  constructor(
    private readonly prisma: BitcoinPrisma,
    private readonly publisher: WithdrawalPublisher,
    private readonly validator: AddressValidator,
  ) {}

  payoutsIn(status: 'signed' | 'broadcast'): Promise<PayoutWithWithdrawals[]> {
    return this.prisma.payout.findMany({ where: { status }, orderBy: BY_AGE, include: { withdrawals: { orderBy: { vout: 'asc' } } } });
  }

  payout(id: string): Promise<PayoutWithWithdrawals> {
    return this.prisma.payout.findUniqueOrThrow({ where: { id }, include: { withdrawals: { orderBy: { vout: 'asc' } } } });
  }

  withdrawal(id: string): Promise<(Withdrawal & { payout: PayoutWithWithdrawals | null }) | null> {
    return this.prisma.withdrawal.findUnique({ where: { id }, include: { payout: { include: { withdrawals: { orderBy: { vout: 'asc' } } } } } });
  }

  /** Queued withdrawals that will not be sent: failed, and announced so bitro-api releases their hold. */
  async failQueued(failures: WithdrawalFailure[]): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      for (const { withdrawal, reason, detail } of failures) {
        const { count } = await tx.withdrawal.updateMany({
          where: { id: withdrawal.id, status: 'queued' },
          data: { status: 'failed', failureReason: reason, failureDetail: detail },
        });
        if (count === 1) await this.publisher.failed(tx, withdrawal, reason, detail);
      }
    });
  }

  /**
   * Persists a signed transaction before anything broadcasts it, and moves its withdrawals onto it (status signed).
   * `from`: where the withdrawals must still be (queued, or broadcast in the payout a fee bump replaces).
   */
  async createSigned(
    signed: SignedTransaction,
    assignments: PayoutAssignment[],
    from: { status: WithdrawalStatus; payoutId: string | null },
    replacesId?: string,
  ): Promise<Payout> {
    return this.prisma.$transaction(async (tx) => {
      const { txid, rawHex, feeSats, vsize } = signed;
      const payout = await tx.payout.create({ data: { txid, rawHex, feeSats, vsize, status: 'signed', replacesId } });
      for (const assignment of assignments) {
        const { count } = await tx.withdrawal.updateMany({
          where: { id: assignment.withdrawal.id, ...from },
          data: { status: 'signed', payoutId: payout.id, vout: assignment.vout, feeSats: assignment.feeSats },
        });
        if (count !== 1) throw new Error(`withdrawal ${assignment.withdrawal.id} is no longer ${from.status}: payout ${txid} not persisted`);
      }
      return payout;
    });
  }

  /**
   * Persists a CPFP child of `parent` (signed, no withdrawals) before anything broadcasts it; the parent's withdrawals
   * now bear `shares` of the fee both pay together.
   */
  async createChild(child: SignedTransaction, parent: PayoutWithWithdrawals, shares: bigint[]): Promise<Payout> {
    return this.prisma.$transaction(async (tx) => {
      const { txid, rawHex, feeSats, vsize } = child;
      const payout = await tx.payout.create({ data: { txid, rawHex, feeSats, vsize, status: 'signed', paysForId: parent.id } });
      for (const [index, withdrawal] of parent.withdrawals.entries()) {
        await tx.withdrawal.update({ where: { id: withdrawal.id }, data: { feeSats: shares[index] } });
      }
      return payout;
    });
  }

  /** A CPFP child the node refused on its only broadcast never left: it goes, and the parent's withdrawals bear its fee alone again. */
  async dropChild(child: Payout, parent: PayoutWithWithdrawals): Promise<void> {
    const shares = withdrawalFeeShares(this.validator, parent, parent.withdrawals);
    await this.prisma.$transaction(async (tx) => {
      await tx.payout.delete({ where: { id: child.id } });
      for (const [index, withdrawal] of parent.withdrawals.entries()) {
        await tx.withdrawal.update({ where: { id: withdrawal.id }, data: { feeSats: shares[index] } });
      }
    });
  }

  /** A broadcast attempt, or a check, that did not settle the payout; `mayHaveLeft`: the attempt went unanswered. */
  async recordProblem(payout: Payout, error: string, { attempt, mayHaveLeft = false }: { attempt: boolean; mayHaveLeft?: boolean }): Promise<void> {
    await this.prisma.payout.update({
      where: { id: payout.id },
      data: { lastError: error.slice(0, 1_000), ...(attempt ? { broadcastAttempts: { increment: 1 } } : {}), ...(mayHaveLeft ? { mayHaveLeft: true } : {}) },
    });
  }

  /** Refused for a reason a block may lift: the next attempt waits until `tip` is no longer the best block. */
  async defer(payout: Payout, tip: string, error: string): Promise<void> {
    await this.prisma.payout.update({
      where: { id: payout.id },
      data: { deferredAtTip: tip, lastError: `waiting for a block: ${error}`.slice(0, 1_000), broadcastAttempts: { increment: 1 } },
    });
  }

  async recordRebroadcast(payout: Payout): Promise<void> {
    await this.prisma.payout.update({ where: { id: payout.id }, data: { broadcastAttempts: { increment: 1 }, lastError: null, deferredAtTip: null } });
  }

  /** The node accepted a signed payout (or has it already): its withdrawals are broadcast; a replaced payout is now replaced. */
  async markBroadcast(payout: Payout, height: number): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const { count } = await tx.payout.updateMany({
        where: { id: payout.id, status: 'signed' },
        data: { status: 'broadcast', broadcastAt: new Date(), broadcastHeight: height, broadcastAttempts: { increment: 1 }, mayHaveLeft: true, deferredAtTip: null, lastError: null },
      });
      if (count === 0) return;
      if (payout.replacesId) await tx.payout.updateMany({ where: { id: payout.replacesId, status: 'broadcast' }, data: { status: 'replaced' } });
      const withdrawals = await tx.withdrawal.findMany({ where: { payoutId: payout.id, status: 'signed' }, orderBy: { vout: 'asc' } });
      await tx.withdrawal.updateMany({ where: { id: { in: withdrawals.map((w) => w.id) } }, data: { status: 'broadcast' } });
      for (const withdrawal of withdrawals) await this.publisher.broadcast(tx, withdrawal, payout.txid);
    });
  }

  async markConfirmed(payout: Payout, block: BlockConfirmation): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const { count } = await tx.payout.updateMany({
        where: { id: payout.id, status: 'broadcast' },
        data: { status: 'confirmed', blockHash: block.blockHash, blockHeight: block.blockHeight, confirmedAt: new Date(), lastError: null },
      });
      if (count === 0) return;
      const withdrawals = await tx.withdrawal.findMany({ where: { payoutId: payout.id, status: 'broadcast' }, orderBy: { vout: 'asc' } });
      await tx.withdrawal.updateMany({ where: { id: { in: withdrawals.map((w) => w.id) } }, data: { status: 'confirmed' } });
      for (const withdrawal of withdrawals) await this.publisher.confirmed(tx, withdrawal, payout.txid, block);
    });
  }

  /** The payout provably cannot confirm (see PayoutFate): nothing was or will be paid, its withdrawals fail. */
  async markRejected(payout: Payout, detail: string): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const unsettled: Prisma.PayoutWhereInput['status'] = { in: ['signed', 'broadcast'] };
      const { count } = await tx.payout.updateMany({ where: { id: payout.id, status: unsettled }, data: { status: 'failed', lastError: detail } });
      if (count === 0) return;
      const withdrawals = await tx.withdrawal.findMany({ where: { payoutId: payout.id, status: { in: ['signed', 'broadcast'] } }, orderBy: { vout: 'asc' } });
      const reason = 'rejected-by-network';
      await tx.withdrawal.updateMany({ where: { id: { in: withdrawals.map((w) => w.id) } }, data: { status: 'failed', failureReason: reason, failureDetail: detail } });
      for (const withdrawal of withdrawals) await this.publisher.failed(tx, withdrawal, reason, detail);
    });
  }

  /**
   * Between a payout and the payout its fee bump replaced, `winner` is the one that stands (the replacement was rejected,
   * or the replaced transaction was mined after all): the withdrawals move back onto it with its fee shares, and the
   * other one fails. Outputs keep their positions across a bump, so the vouts stay.
   */
  async handOver(loser: Payout, winner: Payout, detail: string): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const withdrawals = await tx.withdrawal.findMany({ where: { payoutId: loser.id, status: { in: ['signed', 'broadcast'] } }, orderBy: { vout: 'asc' } });
      const shares = withdrawalFeeShares(this.validator, winner, withdrawals);
      for (const [index, withdrawal] of withdrawals.entries()) {
        await tx.withdrawal.update({ where: { id: withdrawal.id }, data: { payoutId: winner.id, status: 'broadcast', feeSats: shares[index] } });
      }
      await tx.payout.update({ where: { id: loser.id }, data: { status: 'failed', lastError: detail } });
      await tx.payout.update({ where: { id: winner.id }, data: { status: 'broadcast' } });
    });
  }
}
