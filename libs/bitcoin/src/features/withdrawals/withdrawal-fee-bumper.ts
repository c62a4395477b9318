import { Injectable, Logger } from '@nestjs/common';
import { AddressValidator } from '../addresses/address-validator';
import type { Payout } from '../../generated/prisma/client';
import { BitcoinRpcClient, type FeeRateSatPerVb } from '../node/bitcoin-rpc.client';
import type { DecodedTransaction } from '../node/rpc-schemas';
import { FeeBumpRefusedError } from './fee-bump.errors';
import { feeAtRate, formatSatPerVb, parseSatPerVb } from './fee-rate';
import { withdrawalFeeShares } from './fee-split';
import { type BroadcastResult, PayoutBroadcaster } from './payout-broadcaster';
import { PayoutStore, type SignedTransaction } from './payout-store';
import { dustThresholdSats } from './tx-output';
import { findMempoolEntry, findWalletTransaction } from '../wallet/wallet-queries';
import { WithdrawalSenderLock } from './withdrawal-sender.lock';
import { WalletSigner } from '../wallet/wallet-signer';

export interface FeeBumpResult {
  /** Every withdrawal of the payout: they share the transaction, so they all move to the replacement. */
  withdrawalIds: string[];
  payoutId: string;
  txid: string;
  replacedTxid: string;
  feeSats: bigint;
  vsize: number;
  /** 'broadcast': the node accepted the replacement; 'pending': it stays signed and the sender retries it; 'superseded': rejected, the withdrawals stay with the replaced payout. */
  status: BroadcastResult;
}

type ChangeOutput = DecodedTransaction['vout'][number];

/**
 * An operator's fee bump (RBF, BIP125) of a broadcast, unconfirmed payout: the same inputs and withdrawal outputs,
 * the change lowered by the extra fee. The replacement is persisted (replacing the old payout) before it is broadcast.
 */
@Injectable()
export class WithdrawalFeeBumper {
  private readonly logger = new Logger('WithdrawalFeeBumper');

  constructor(
    private readonly rpc: BitcoinRpcClient,
    private readonly validator: AddressValidator,
    private readonly store: PayoutStore,
    private readonly broadcaster: PayoutBroadcaster,
    private readonly lock: WithdrawalSenderLock,
    private readonly signer: WalletSigner,
  ) {}

  /** Throws {@link FeeBumpRefusedError} when the bump is not possible or not allowed; nothing is stored then. */
  async bump(withdrawalId: string, feeRateSatPerVb: FeeRateSatPerVb): Promise<FeeBumpResult> {
    const rate = parseSatPerVb(feeRateSatPerVb);
    if (rate === undefined || rate === 0n) throw new FeeBumpRefusedError('invalid-fee-rate', `"${feeRateSatPerVb}" is not a fee rate in sat/vB (at most 3 decimals)`);
    return this.lock.withLock(() => this.bumpHeld(withdrawalId, rate));
  }

  /** {@link bump} for a caller that already holds the withdrawal sender's lock (the sender's automatic bumps). */
  async bumpHeld(withdrawalId: string, satPerKvB: bigint): Promise<FeeBumpResult> {
    const withdrawal = await this.store.withdrawal(withdrawalId);
    if (!withdrawal) throw new FeeBumpRefusedError('withdrawal-not-found', `no withdrawal ${withdrawalId}`);
    const old = withdrawal.payout;
    if (withdrawal.status === 'confirmed' || old?.status === 'confirmed') {
      throw new FeeBumpRefusedError('already-confirmed', `withdrawal ${withdrawalId} is confirmed in ${old?.txid}`);
    }
    if (withdrawal.status !== 'broadcast' || old?.status !== 'broadcast') {
      throw new FeeBumpRefusedError('not-broadcast', `withdrawal ${withdrawalId} is ${withdrawal.status}${old ? ` in a ${old.status} payout` : ''}, not broadcast`);
    }
    await this.checkReplaceable(old);

    const oldSatPerKvB = (old.feeSats * 1000n) / BigInt(old.vsize);
    if (satPerKvB <= oldSatPerKvB) {
      throw new FeeBumpRefusedError('fee-rate-not-higher', `${formatSatPerVb(satPerKvB)} sat/vB is not above the payout's ${formatSatPerVb(oldSatPerKvB)} sat/vB`);
    }
    const vouts = old.withdrawals.map((w) => {
      if (w.vout === null) throw new Error(`withdrawal ${w.id} of payout ${old.txid} has no output`);
      return w.vout;
    });
    const decoded = await this.rpc.decodeRawTransaction(old.rawHex);
    const change = changeOutput(old.txid, decoded, vouts);
    // Signatures vary by a byte: sized for the old vsize first, redone once if the replacement came out larger.
    let replacement = await this.signReplacement(decoded, change, old.feeSats, feeAtRate(satPerKvB, old.vsize));
    if (replacement.vsize > old.vsize) replacement = await this.signReplacement(decoded, change, old.feeSats, feeAtRate(satPerKvB, replacement.vsize));
    const minimum = old.feeSats + BigInt(replacement.vsize);
    if (replacement.feeSats < minimum) {
      throw new FeeBumpRefusedError(
        'fee-rate-not-higher',
        `a replacement must pay at least ${minimum} sats (the old fee plus 1 sat/vB of its size): about ${formatSatPerVb((minimum * 1000n + BigInt(replacement.vsize) - 1n) / BigInt(replacement.vsize))} sat/vB`,
      );
    }

    const shares = withdrawalFeeShares(this.validator, replacement, old.withdrawals);
    const over = old.withdrawals.flatMap((w, i) => (shares[i] > w.maxFeeSats ? [`${w.id} (${shares[i]} > ${w.maxFeeSats} sats)`] : []));
    if (over.length > 0) throw new FeeBumpRefusedError('exceeds-max-fee', `the fee share would exceed the maximum of ${over.join(', ')}`);

    const payout = await this.store.createSigned(
      replacement,
      old.withdrawals.map((w, i) => ({ withdrawal: w, vout: vouts[i], feeSats: shares[i] })),
      { status: 'broadcast', payoutId: old.id },
      old.id,
    );
    this.logger.log(`payout ${old.txid} (fee ${old.feeSats}) replaced by ${payout.txid} (fee ${payout.feeSats}, ${formatSatPerVb(satPerKvB)} sat/vB)`);
    const status = await this.broadcaster.broadcast(payout);
    return {
      withdrawalIds: old.withdrawals.map((w) => w.id),
      payoutId: payout.id,
      txid: payout.txid,
      replacedTxid: old.txid,
      feeSats: payout.feeSats,
      vsize: payout.vsize,
      status,
    };
  }

  /** Mined, or spent by other unconfirmed transactions (Core's bumpfee refuses both too). */
  private async checkReplaceable(old: Payout): Promise<void> {
    const tx = await findWalletTransaction(this.rpc, old.txid);
    if (tx && tx.confirmations > 0) throw new FeeBumpRefusedError('already-confirmed', `payout ${old.txid} is mined (${tx.confirmations} confirmations)`);
    const entry = await findMempoolEntry(this.rpc, old.txid);
    if (entry && entry.descendantcount > 1) {
      throw new FeeBumpRefusedError('has-descendants', `${entry.descendantcount - 1} unconfirmed transaction(s) spend the change of ${old.txid}`);
    }
  }

  /** The old transaction with the change lowered by the extra fee; inputs, sequences, locktime and output order kept. */
  private async signReplacement(decoded: DecodedTransaction, change: ChangeOutput, oldFeeSats: bigint, feeSats: bigint): Promise<SignedTransaction> {
    const changeSats = change.value - (feeSats - oldFeeSats);
    if (changeSats < dustThresholdSats(change.scriptPubKey.hex)) {
      throw new FeeBumpRefusedError('insufficient-change', `the change of ${change.value} sats cannot pay a fee of ${feeSats} sats`);
    }
    const unsigned = await this.rpc.createRawTransaction({
      inputs: decoded.vin.map((input) => ({ txid: input.txid ?? '', vout: input.vout ?? 0, sequence: input.sequence })),
      outputs: decoded.vout.map((o) => ({ address: o.scriptPubKey.address ?? '', amountSats: o.n === change.n ? changeSats : o.value })),
      locktime: decoded.locktime,
      replaceable: true,
    });
    const { hex, decoded: signed } = await this.signer.sign(unsigned);
    return { txid: signed.txid, rawHex: hex, feeSats, vsize: signed.vsize };
  }
}

export function changeOutput(txid: string, decoded: DecodedTransaction, withdrawalVouts: number[]): ChangeOutput {
  const others = decoded.vout.filter((o) => !withdrawalVouts.includes(o.n));
  if (others.length !== 1 || others[0].scriptPubKey.address === undefined) {
    throw new FeeBumpRefusedError('insufficient-change', `payout ${txid} has no change output to take the extra fee from`);
  }
  return others[0];
}
