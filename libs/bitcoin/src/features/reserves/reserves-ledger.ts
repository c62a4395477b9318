import { Inject, Injectable } from '@nestjs/common';
import { BITCOIN_MODULE_OPTIONS, type BitcoinModuleOptions, DEFAULT_RESERVES_OPTIONS } from '../../bitcoin-module.options';
import type { ReserveCheck } from '../../generated/prisma/client';
import { BitcoinPrisma } from '../../persistence/bitcoin-prisma';

export interface ReservesPause {
  /** The first unacknowledged mismatch. */
  since: Date;
  checkId: string;
  differenceSats: bigint;
}

export interface ReservesAcknowledgement {
  /** The difference taken into the records (an adjustment), from the latest check. */
  adjustedSats: bigint;
  acknowledgedChecks: number;
}

/** The reserve checks' history, whether automatic payouts are paused, and an admin's acknowledgement. */
@Injectable()
export class ReservesLedger {
  /** A difference above this is a mismatch. */
  readonly toleranceSats: bigint;

  constructor(
    private readonly prisma: BitcoinPrisma,
    @Inject(BITCOIN_MODULE_OPTIONS) options: BitcoinModuleOptions,
  ) {
    this.toleranceSats = (options.reserves ?? DEFAULT_RESERVES_OPTIONS).toleranceSats;
  }

  /** Payouts pause while a mismatch is unacknowledged. */
  async pause(): Promise<ReservesPause | undefined> {
    const first = await this.prisma.reserveCheck.findFirst({ where: { status: 'mismatch', acknowledgedAt: null }, orderBy: { checkedAt: 'asc' } });
    return first ? { since: first.checkedAt, checkId: first.id, differenceSats: first.differenceSats } : undefined;
  }

  history(limit: number): Promise<ReserveCheck[]> {
    return this.prisma.reserveCheck.findMany({ orderBy: [{ checkedAt: 'desc' }, { id: 'desc' }], take: limit });
  }

  /**
   * The admin has looked: every open mismatch is acknowledged, and the latest check's difference becomes an adjustment
   * (a top-up, a sweep, a loss written off), so the next check starts from what the wallet holds. Nothing open: nothing done.
   */
  async acknowledge(adminId: string, note: string): Promise<ReservesAcknowledgement> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended('gateway.reserves-acknowledge', 0))`;
      const open = await tx.reserveCheck.findMany({ where: { status: 'mismatch', acknowledgedAt: null } });
      if (open.length === 0) return { adjustedSats: 0n, acknowledgedChecks: 0 };
      const latest = await tx.reserveCheck.findFirstOrThrow({ where: { status: { in: ['ok', 'mismatch'] } }, orderBy: [{ checkedAt: 'desc' }, { id: 'desc' }] });
      await tx.reserveCheck.updateMany({ where: { id: { in: open.map((c) => c.id) } }, data: { acknowledgedAt: new Date(), acknowledgedBy: adminId } });
      if (latest.differenceSats !== 0n) {
        await tx.reserveAdjustment.create({ data: { amountSats: latest.differenceSats, kind: 'acknowledged', checkId: latest.id, adminId, note } });
      }
      return { adjustedSats: latest.differenceSats, acknowledgedChecks: open.length };
    });
  }
}
