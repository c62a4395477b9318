import { Injectable } from '@nestjs/common';
import type { Anchor } from '../../generated/prisma/client';
import { BitcoinPrisma } from '../../persistence/bitcoin-prisma';
import type { SignedTransaction } from '../withdrawals/payout-store';

/** `gateway.anchors`: each state change guarded by the status it starts from. */
@Injectable()
export class AnchorStore {
  constructor(private readonly prisma: BitcoinPrisma) {}

  byReference(reference: string): Promise<Anchor | null> {
    return this.prisma.anchor.findUnique({ where: { reference } });
  }

  /** Withdrawal payouts signed but not yet accepted by the node: the wallet does not know their inputs are spent. */
  signedPayouts(): Promise<number> {
    return this.prisma.payout.count({ where: { status: 'signed' } });
  }

  createSigned(reference: string, dataHex: string, { txid, rawHex, feeSats }: SignedTransaction): Promise<Anchor> {
    return this.prisma.anchor.create({ data: { reference, dataHex, txid, rawHex, feeSats, status: 'signed' } });
  }

  /** A signed anchor no node ever accepted, rebuilt: the same reference and data, another transaction. */
  replaceSigned(anchor: Anchor, { txid, rawHex, feeSats }: SignedTransaction, reason: string): Promise<Anchor> {
    return this.prisma.anchor.update({ where: { id: anchor.id, status: 'signed' }, data: { txid, rawHex, feeSats, lastError: reason.slice(0, 1_000) } });
  }

  async markBroadcast(anchor: Anchor): Promise<Anchor> {
    await this.prisma.anchor.updateMany({ where: { id: anchor.id, status: 'signed' }, data: { status: 'broadcast', broadcastAt: new Date(), lastError: null } });
    return this.prisma.anchor.findUniqueOrThrow({ where: { id: anchor.id } });
  }

  async markConfirmed(anchor: Anchor): Promise<void> {
    await this.prisma.anchor.updateMany({ where: { id: anchor.id, status: 'broadcast' }, data: { status: 'confirmed', confirmedAt: new Date() } });
  }

  async recordProblem(anchor: Anchor, error: string): Promise<void> {
    await this.prisma.anchor.update({ where: { id: anchor.id }, data: { lastError: error.slice(0, 1_000) } });
  }
}
