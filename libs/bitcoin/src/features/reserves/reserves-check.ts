import { Inject, Injectable, Logger } from '@nestjs/common';
import { PG_POOL } from '@bitro/db';
import type { Pool } from 'pg';
import { BITCOIN_MODULE_OPTIONS, type BitcoinModuleOptions, DEFAULT_RESERVES_OPTIONS } from '../../bitcoin-module.options';
import { DEPOSIT_SCAN_LOCK_KEY } from '../deposits/deposit-scan.schedule';
import { DepositScan } from '../deposits/deposit-scan';
import type { ReserveCheck } from '../../generated/prisma/client';
import { BitcoinPrisma } from '../../persistence/bitcoin-prisma';
import { BitcoinRpcClient } from '../node/bitcoin-rpc.client';
import { BitcoinRpcError } from '../node/rpc-errors';
import { isInMempool } from '../wallet/wallet-queries';
import { differences, type ExpectedHoldings, expectedTotal, figuresJson, type WalletHoldings, walletTotal } from './reserve-figures';

// One statement, one snapshot: six reads in parallel took six pool connections, which the pool had closed again (idle
// for 30 s) by the next check, so each check opened six connections to PostgreSQL.
const EXPECTED_HOLDINGS = {
  name: 'gateway.reserves-expected-holdings',
  text: `SELECT
      (SELECT COALESCE(SUM(amount_sats), 0) FROM "gateway"."reserve_adjustments")::text AS "adjustments",
      (SELECT COALESCE(SUM(amount_sats), 0) FROM "gateway"."deposits" WHERE status IN ('detected', 'confirmed'))::text AS "deposits",
      (SELECT COALESCE(SUM(amount_sats), 0) FROM "gateway"."deposits" WHERE status = 'detected' AND confirmations = 0)::text AS "pendingDeposits",
      (SELECT COALESCE(SUM(amount_sats), 0) FROM "gateway"."withdrawals" WHERE status IN ('broadcast', 'confirmed'))::text AS "paidOut",
      (SELECT COALESCE(SUM(fee_sats), 0) FROM "gateway"."payouts" WHERE status IN ('broadcast', 'confirmed'))::text AS "payoutFees",
      (SELECT COALESCE(SUM(fee_sats), 0) FROM "gateway"."anchors" WHERE status IN ('broadcast', 'confirmed'))::text AS "anchorFees"`,
};
const SIGNED_PAYOUTS_AND_ANCHORS = {
  name: 'gateway.reserves-signed',
  text: `SELECT ((SELECT count(*) FROM "gateway"."payouts" WHERE status = 'signed') + (SELECT count(*) FROM "gateway"."anchors" WHERE status = 'signed'))::int AS signed`,
};

/**
 * Chain ↔ records (ADR 17): compares what Core's wallet holds with what the gateway's tables say it should hold, and
 * records the figures per category (`gateway.reserve_checks`). Runs under the withdrawal sender's lock (no payout or
 * anchor is being built or sent) and takes the deposit scanner's lock to scan first, so every deposit Core has seen is
 * recorded; the balances are read before and after the scan, and a wallet that moved meanwhile makes the check
 * `unsettled`, as does any payout or anchor in doubt. A difference beyond the tolerance is a `mismatch`: logged as an
 * error, and automatic payouts pause until an admin acknowledges it.
 */
@Injectable()
export class ReservesCheck {
  private readonly logger = new Logger('ReservesCheck');
  private readonly toleranceSats: bigint;

  constructor(
    private readonly prisma: BitcoinPrisma,
    private readonly rpc: BitcoinRpcClient,
    private readonly deposits: DepositScan,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(BITCOIN_MODULE_OPTIONS) options: BitcoinModuleOptions,
  ) {
    this.toleranceSats = (options.reserves ?? DEFAULT_RESERVES_OPTIONS).toleranceSats;
  }

  /** One check; undefined when the deposit scanner is busy (the next interval tries again). The caller holds the sender's lock. */
  async run(): Promise<ReserveCheck | undefined> {
    const client = await this.pool.connect();
    try {
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [DEPOSIT_SCAN_LOCK_KEY]);
      if (!rows[0]?.locked) return undefined;
      try {
        return await this.check();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [DEPOSIT_SCAN_LOCK_KEY]);
      }
    } finally {
      client.release();
    }
  }

  private async check(): Promise<ReserveCheck> {
    const before = await this.walletHoldings();
    await this.deposits.run();
    const expected = await this.expectedHoldings();
    const wallet = await this.walletHoldings();
    const inDoubt = walletTotal(before) !== walletTotal(wallet) ? 'the wallet changed during the check' : await this.inDoubt();
    const isFirst = (await this.prisma.reserveAdjustment.count()) === 0;
    if (isFirst && inDoubt === undefined) {
      // The first check takes the wallet as it is: the gateway's tables cannot know what the wallet held before them.
      const opening = walletTotal(wallet) - expectedTotal(expected);
      await this.prisma.reserveAdjustment.create({ data: { amountSats: opening, kind: 'opening', note: 'the balance the first check found' } });
      expected.adjustments += opening;
    }
    const difference = walletTotal(wallet) - expectedTotal(expected);
    const abs = difference < 0n ? -difference : difference;
    const status = inDoubt !== undefined ? 'unsettled' : abs > this.toleranceSats ? 'mismatch' : 'ok';
    const figures = { ...figuresJson(wallet, expected), ...(inDoubt ? { inDoubt } : {}) };
    const check = await this.prisma.reserveCheck.create({
      data: {
        tipHeight: await this.rpc.getBlockCount(),
        walletSats: walletTotal(wallet),
        expectedSats: expectedTotal(expected),
        differenceSats: difference,
        status,
        figures,
      },
    });
    if (status === 'mismatch') {
      const { trusted, pending, immature } = differences(wallet, expected);
      this.logger.error(
        `reserves mismatch: the wallet holds ${walletTotal(wallet)} sats, the records say ${expectedTotal(expected)} (difference ${difference}: trusted ${trusted}, pending ${pending}, immature ${immature}); automatic payouts paused until an admin acknowledges it`,
      );
    }
    return check;
  }

  private async walletHoldings(): Promise<WalletHoldings> {
    const { mine } = await this.rpc.getBalances();
    return { trusted: mine.trusted, untrustedPending: mine.untrusted_pending, immature: mine.immature, locked: await this.lockedSats() };
  }

  private async lockedSats(): Promise<bigint | null> {
    let outpoints: { txid: string; vout: number }[];
    try {
      outpoints = await this.rpc.listLockUnspent();
    } catch (error) {
      if (error instanceof BitcoinRpcError && error.kind === 'method-not-found') return null;
      throw error;
    }
    let total = 0n;
    for (const { txid, vout } of outpoints) total += (await this.rpc.getTxOut(txid, vout))?.value ?? 0n;
    return total;
  }

  private async expectedHoldings(): Promise<ExpectedHoldings> {
    const { rows } = await this.pool.query<Record<keyof ExpectedHoldings, string>>(EXPECTED_HOLDINGS);
    const [row] = rows;
    return {
      adjustments: BigInt(row.adjustments),
      deposits: BigInt(row.deposits),
      pendingDeposits: BigInt(row.pendingDeposits),
      paidOut: BigInt(row.paidOut),
      payoutFees: BigInt(row.payoutFees),
      anchorFees: BigInt(row.anchorFees),
    };
  }

  /** Signed payouts or anchors (the node may hold them or not), and broadcast payouts out of the mempool, make the records uncertain. */
  private async inDoubt(): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ signed: number }>(SIGNED_PAYOUTS_AND_ANCHORS);
    const signed = rows[0]?.signed ?? 0;
    if (signed > 0) return `${signed} signed payout(s) or anchor(s) not yet settled`;
    for (const { txid } of await this.prisma.payout.findMany({ where: { status: 'broadcast' }, select: { txid: true } })) {
      const tx = await this.rpc.getTransaction(txid).catch(() => undefined);
      if (!tx || (tx.confirmations === 0 && !(await isInMempool(this.rpc, txid)))) return `payout ${txid} is in neither the mempool nor a block`;
    }
    return undefined;
  }
}
