import { Inject, Injectable, Logger } from '@nestjs/common';
import { BITCOIN_MODULE_OPTIONS, DEFAULT_DEPOSIT_OPTIONS, type BitcoinModuleOptions } from '../../bitcoin-module.options';
import type { Deposit, Prisma } from '../../generated/prisma/client';
import { BitcoinPrisma } from '../../persistence/bitcoin-prisma';
import { BitcoinRpcClient } from '../node/bitcoin-rpc.client';
import { BitcoinRpcError } from '../node/rpc-errors';
import type { ListSinceBlockResult } from '../node/rpc-schemas';
import { DepositPublisher, type DepositSighting } from './deposit.publisher';
import { nextDepositStep, type DepositStep } from './deposit-state';

export const DEPOSIT_CURSOR_NAME = 'deposits';

/**
 * Confirmed deposits are re-read with gettransaction on every new block until they are this many blocks past the
 * required depth. listsinceblock's `removed` already reports a reorg below the cursor; this also covers nodes where it
 * does not (pruned, or a cursor block the node no longer knows).
 */
const RECHECK_DEPTH = 6;

/** The one transaction of a scan may write many rows on the first scan of an old wallet. */
const TRANSACTION_OPTIONS = { maxWait: 5_000, timeout: 60_000 };

export interface DepositScanResult {
  /** Where the next scan resumes: listsinceblock's `lastblock` (the block `confirmations - 1` below the tip). */
  cursor: { blockHash: string; blockHeight: number };
  /** Events appended to the outbox by this scan. */
  detected: number;
  confirmed: number;
  reversed: number;
}

interface StoredCursor {
  blockHash: string;
  blockHeight: number;
  /** The row version (xmin): a scan commits only if no other scan committed since it read the cursor. */
  version: string;
}

interface Change {
  sighting: DepositSighting;
  previous: Deposit | undefined;
  step: DepositStep;
}

/**
 * Finds payments to deposit addresses with listsinceblock from a persisted cursor and drives each output through
 * detected → confirmed (→ reversed on a reorg or double-spend), appending the contract events to the outbox in the
 * same transaction as the deposit rows and the cursor. A scan that fails changes nothing; the next one starts over.
 */
@Injectable()
export class DepositScan {
  private readonly logger = new Logger('DepositWatcher');
  private readonly required: number;

  constructor(
    private readonly prisma: BitcoinPrisma,
    private readonly rpc: BitcoinRpcClient,
    @Inject(BITCOIN_MODULE_OPTIONS) options: BitcoinModuleOptions,
    private readonly publisher: DepositPublisher,
  ) {
    this.required = (options.deposits ?? DEFAULT_DEPOSIT_OPTIONS).confirmations;
    if (!Number.isInteger(this.required) || this.required < 1) throw new RangeError(`deposits.confirmations must be a positive integer, got ${this.required}`);
  }

  /** One scan: reads the chain since the cursor, records what changed and advances the cursor, all in one transaction (none when nothing changed). */
  async run(): Promise<DepositScanResult> {
    const cursor = await this.readCursor();
    const { listing, complete } = await this.listSinceCursor(cursor);
    if (!complete) this.logger.warn(`the node does not know the cursor block ${cursor?.blockHash}: listing the whole wallet`);
    const moved = cursor?.blockHash !== listing.lastblock;
    // The cursor's height is only fetched when it moves: once per block, not once per scan.
    const blockHeight = cursor && !moved ? cursor.blockHeight : (await this.rpc.getBlock(listing.lastblock)).height;
    const next = { blockHash: listing.lastblock, blockHeight };

    // A reorg that reaches a confirmed deposit replaces the cursor block too, so confirmed ones are re-read only after a move.
    const changes = await this.changesIn(listing, moved || !complete);
    // Nothing new (most scans of an idle gateway): no transaction, no new version of the cursor row.
    if (cursor && !moved && complete && changes.length === 0) return this.summarize(next, changes);

    await this.prisma.$transaction(async (tx) => {
      await this.lockCursor(tx, cursor);
      const now = new Date();
      for (const change of changes) await this.record(tx, change, now);
      const firstSeen = changes.filter((c) => !c.previous).map((c) => c.sighting.address);
      if (firstSeen.length > 0) await tx.depositAddress.updateMany({ where: { address: { in: firstSeen }, usedAt: null }, data: { usedAt: now } });
      if (cursor) await tx.chainCursor.update({ where: { name: DEPOSIT_CURSOR_NAME }, data: next });
      else await tx.chainCursor.create({ data: { name: DEPOSIT_CURSOR_NAME, ...next } });
    }, TRANSACTION_OPTIONS);

    return this.summarize(next, changes);
  }

  /** The deposits whose state or position changed, with the step each takes. */
  private async changesIn(listing: ListSinceBlockResult, recheckConfirmed: boolean): Promise<Change[]> {
    const sightings = await this.sightingsIn(listing);
    const known = await this.knownDeposits([...new Set([...sightings.values()].map((s) => s.txid))], recheckConfirmed);
    // Outputs the listing does not show: Core leaves conflicted receives out of `transactions`, and confirmed ones
    // leave its window. Their current state comes from gettransaction.
    const unseen = known.filter((d) => !sightings.has(key(d)) && (d.status === 'detected' || (recheckConfirmed && this.inRecheckWindow(d))));
    for (const sighting of await this.recheck(unseen)) sightings.set(key(sighting), sighting);

    const byKey = new Map(known.map((d) => [key(d), d]));
    const changes: Change[] = [];
    for (const sighting of sightings.values()) {
      const previous = byKey.get(key(sighting));
      const step = nextDepositStep(previous, sighting, this.required);
      if (step && (step.events.length > 0 || !previous || differs(previous, sighting))) changes.push({ sighting, previous, step });
    }
    return changes;
  }


  private async readCursor(): Promise<StoredCursor | undefined> {
    const rows = await this.prisma.$queryRaw<StoredCursor[]>`
      SELECT block_hash AS "blockHash", block_height AS "blockHeight", xmin::text AS version
      FROM gateway.chain_cursors WHERE name = ${DEPOSIT_CURSOR_NAME}`;
    return rows[0];
  }

  /** Locks the cursor row for the rest of the transaction; throws if another scan moved it since `read`. */
  private async lockCursor(tx: Prisma.TransactionClient, read: StoredCursor | undefined): Promise<void> {
    const rows = await tx.$queryRaw<{ version: string }[]>`
      SELECT xmin::text AS version FROM gateway.chain_cursors WHERE name = ${DEPOSIT_CURSOR_NAME} FOR UPDATE`;
    // Without a row both scans insert one, and the unique name fails the second.
    if (read && rows[0]?.version !== read.version) throw new Error('another deposit scan committed first; this scan is discarded');
  }

  /** listsinceblock from the cursor; `complete` false when the node no longer knows the cursor block and the whole wallet was listed instead. */
  private async listSinceCursor(cursor: StoredCursor | undefined): Promise<{ listing: ListSinceBlockResult; complete: boolean }> {
    const options = { targetConfirmations: this.required, includeWatchonly: true, includeRemoved: true };
    if (!cursor) return { listing: await this.rpc.listSinceBlock(options), complete: true };
    try {
      return { listing: await this.rpc.listSinceBlock({ ...options, blockHash: cursor.blockHash }), complete: true };
    } catch (error) {
      if (!(error instanceof BitcoinRpcError && error.kind === 'invalid-address-or-key')) throw error;
      return { listing: await this.rpc.listSinceBlock(options), complete: false };
    }
  }

  /** `receive` entries paying deposit addresses; an entry in `transactions` wins over the same output in `removed`. */
  private async sightingsIn(listing: ListSinceBlockResult): Promise<Map<string, DepositSighting>> {
    const receives = [...listing.transactions, ...(listing.removed ?? [])].filter((e) => e.category === 'receive' && e.address !== undefined);
    // Most scans of an idle gateway list no receive at all: no query then.
    if (receives.length === 0) return new Map();
    const addresses = await this.prisma.depositAddress.findMany({
      where: { address: { in: [...new Set(receives.map((e) => e.address as string))] } },
      select: { address: true, userId: true },
    });
    const owner = new Map(addresses.map((a) => [a.address, a.userId]));
    const sightings = new Map<string, DepositSighting>();
    for (const entry of receives) {
      const userId = owner.get(entry.address as string);
      if (userId === undefined || sightings.has(key(entry))) continue;
      sightings.set(key(entry), {
        txid: entry.txid,
        vout: entry.vout,
        address: entry.address as string,
        userId,
        amountSats: entry.amount,
        confirmations: entry.confirmations,
        blockHash: entry.blockhash ?? null,
        blockHeight: entry.blockheight ?? null,
      });
    }
    return sightings;
  }

  /** Deposits of the listed transactions, every detected one, and (after a new block) the recently confirmed ones. */
  private knownDeposits(txids: string[], recheckConfirmed: boolean): Promise<Deposit[]> {
    const or: Prisma.DepositWhereInput[] = [{ txid: { in: txids } }, { status: 'detected' }];
    if (recheckConfirmed) or.push({ status: 'confirmed', confirmations: { lt: this.required + RECHECK_DEPTH } });
    return this.prisma.deposit.findMany({ where: { OR: or } });
  }

  private inRecheckWindow(deposit: Deposit): boolean {
    return deposit.status === 'confirmed' && deposit.confirmations < this.required + RECHECK_DEPTH;
  }

  /** The current state of deposits from gettransaction (its top-level fields: Core leaves conflicted receives out of `details`). */
  private async recheck(deposits: Deposit[]): Promise<DepositSighting[]> {
    const sightings: DepositSighting[] = [];
    const byTxid = new Map<string, Deposit[]>();
    for (const d of deposits) byTxid.set(d.txid, [...(byTxid.get(d.txid) ?? []), d]);
    for (const [txid, outputs] of byTxid) {
      let confirmations: number;
      let blockHash: string | null;
      let blockHeight: number | null;
      try {
        const tx = await this.rpc.getTransaction(txid, { includeWatchonly: true });
        ({ confirmations } = tx);
        blockHash = tx.blockhash ?? null;
        blockHeight = tx.blockheight ?? null;
      } catch (error) {
        // The wallet forgot the transaction (restored from a backup, say): keep what is recorded.
        if (error instanceof BitcoinRpcError && error.kind === 'invalid-address-or-key') continue;
        throw error;
      }
      for (const d of outputs) {
        sightings.push({ txid, vout: d.vout, address: d.address, userId: d.userId, amountSats: d.amountSats, confirmations, blockHash, blockHeight });
      }
    }
    return sightings;
  }

  /** Writes one deposit row and appends its events. `confirmed_at` / `reversed_at`: when it entered that status, null in another. */
  private async record(tx: Prisma.TransactionClient, { sighting, previous, step }: Change, now: Date): Promise<void> {
    const entered = (status: Deposit['status'], stamp: Date | null | undefined) =>
      step.status !== status ? null : step.events.some((e) => e.kind === status) ? now : (stamp ?? now);
    const fields = {
      status: step.status,
      confirmations: sighting.confirmations,
      blockHash: sighting.blockHash,
      blockHeight: sighting.blockHeight,
      confirmedAt: entered('confirmed', previous?.confirmedAt),
      reversedAt: entered('reversed', previous?.reversedAt),
    };
    if (previous) {
      await tx.deposit.update({ where: { id: previous.id }, data: fields });
    } else {
      const { txid, vout, address, userId, amountSats } = sighting;
      await tx.deposit.create({ data: { txid, vout, address, userId, amountSats, ...fields } });
    }
    for (const event of step.events) await this.publisher.append(tx, sighting, event);
  }

  private summarize(cursor: DepositScanResult['cursor'], changes: Change[]): DepositScanResult {
    const result: DepositScanResult = { cursor, detected: 0, confirmed: 0, reversed: 0 };
    for (const { sighting, step } of changes) {
      for (const event of step.events) {
        result[event.kind]++;
        if (event.kind === 'reversed') this.logger.warn(`deposit ${sighting.txid}:${sighting.vout} of user ${sighting.userId} reversed (${event.reason})`);
      }
    }
    if (result.detected + result.confirmed + result.reversed > 0) {
      this.logger.log(`deposits: ${result.detected} detected, ${result.confirmed} confirmed, ${result.reversed} reversed; cursor at ${cursor.blockHeight}`);
    }
    return result;
  }
}

function key(output: { txid: string; vout: number }): string {
  return `${output.txid}:${output.vout}`;
}

function differs(row: Deposit, now: DepositSighting): boolean {
  return row.confirmations !== now.confirmations || row.blockHash !== now.blockHash || row.blockHeight !== now.blockHeight;
}
