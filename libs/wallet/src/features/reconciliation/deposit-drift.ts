import { Injectable } from '@nestjs/common';
import type { DriftList } from '@bitro/service-api';
import { Prisma, WalletPrisma } from '../../persistence/wallet-prisma';
import { type DriftRow, toDriftList } from './drift-query';

/**
 * Deposits whose journals do not match their status. A deposit credited for its n-th confirmation has `credits = n`
 * and the journal `deposit:<txid>:<vout>:<n>`; its n-th reversal is `deposit-reversal:<txid>:<vout>:<n>` (see
 * DepositCrediting). So a confirmed deposit has credit n and no reversal n; a detected or reversed one with n > 0 has
 * reversal n (unless the user had nothing left to take back: its shortfall is then the whole amount); and no deposit
 * has a credit or a reversal n + 1. Every lookup is one probe of the unique `reference` index.
 */
@Injectable()
export class DepositDrift {
  constructor(private readonly prisma: WalletPrisma) {}

  async find(input: { since: Date | null; limit: number }): Promise<DriftList> {
    const rows = await this.prisma.$queryRaw<DriftRow[]>`
      WITH deposit AS (
        SELECT id, status::text AS status, credits, amount_sats, shortfall_sats, txid || ':' || vout AS outpoint
        FROM "wallet"."deposits" ${input.since ? Prisma.sql`WHERE updated_at >= ${input.since}` : Prisma.empty}
      ), probed AS (
        SELECT d.*,
          EXISTS (SELECT 1 FROM "wallet"."journals" WHERE reference = 'deposit:' || d.outpoint || ':' || d.credits AND kind = 'deposit') AS credited,
          EXISTS (SELECT 1 FROM "wallet"."journals" WHERE reference = 'deposit:' || d.outpoint || ':' || (d.credits + 1)) AS credited_beyond,
          EXISTS (SELECT 1 FROM "wallet"."journals" WHERE reference = 'deposit-reversal:' || d.outpoint || ':' || d.credits AND kind = 'deposit_reversal') AS reversed,
          EXISTS (SELECT 1 FROM "wallet"."journals" WHERE reference = 'deposit-reversal:' || d.outpoint || ':' || (d.credits + 1)) AS reversed_beyond
        FROM deposit d
      ), checked AS (
        SELECT id::text AS id, CASE
          WHEN status = 'confirmed' AND credits = 0 THEN 'confirmed but never credited (credits = 0)'
          WHEN status = 'confirmed' AND NOT credited THEN 'confirmed but its credit journal deposit:' || outpoint || ':' || credits || ' is missing'
          WHEN credited_beyond THEN 'credited more often than recorded: deposit:' || outpoint || ':' || (credits + 1) || ' exists with credits = ' || credits
          WHEN status = 'confirmed' AND reversed THEN 'confirmed but its credit ' || credits || ' was reversed (deposit-reversal:' || outpoint || ':' || credits || ')'
          WHEN status <> 'confirmed' AND credits > 0 AND NOT reversed AND shortfall_sats < amount_sats
            THEN status || ' after ' || credits || ' credit(s) but not reversed: deposit-reversal:' || outpoint || ':' || credits || ' is missing'
          WHEN reversed_beyond THEN 'reversed more often than credited: deposit-reversal:' || outpoint || ':' || (credits + 1) || ' exists'
        END AS reason
        FROM probed
      )
      SELECT id, reason, count(*) OVER () AS total FROM checked WHERE reason IS NOT NULL ORDER BY id LIMIT ${input.limit}`;
    return toDriftList(rows);
  }
}
