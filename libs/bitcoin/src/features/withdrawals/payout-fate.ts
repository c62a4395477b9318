import { Injectable } from '@nestjs/common';
import type { Payout } from '../../generated/prisma/client';
import { BitcoinRpcClient } from '../node/bitcoin-rpc.client';
import { PayoutStore } from './payout-store';
import { findWalletTransaction } from '../wallet/wallet-queries';

/**
 * The refund rule (ADR 16): a payout's withdrawals fail only when it provably cannot confirm. "The wallet does not
 * know it" after a broadcast attempt proves nothing (the node may have relayed it, then lost it); these do:
 * - it never left the gateway: every broadcast attempt got a definite refusal (`mayHaveLeft` false);
 * - one of its inputs is spent by a confirmed transaction that is none of its versions (the payout or a payout it replaced).
 */
@Injectable()
export class PayoutFate {
  constructor(
    private readonly rpc: BitcoinRpcClient,
    private readonly store: PayoutStore,
  ) {}

  /** Why `payout` can never confirm, or undefined when that is not proven. */
  async cannotConfirm(payout: Payout): Promise<string | undefined> {
    if (!payout.mayHaveLeft) return 'no node ever accepted it (every broadcast attempt was refused)';
    const spent = await this.inputSpentInChain(payout);
    if (spent === undefined || (await this.versionMined(payout))) return undefined;
    return `its input ${spent} is spent by a confirmed transaction that is not one of its versions`;
  }

  /** An input whose coin is in the chain and already spent there (gettxout without the mempool: null). */
  private async inputSpentInChain(payout: Payout): Promise<string | undefined> {
    const decoded = await this.rpc.decodeRawTransaction(payout.rawHex);
    for (const { txid, vout } of decoded.vin) {
      if (txid === undefined || vout === undefined) continue;
      const parent = await findWalletTransaction(this.rpc, txid);
      // Our coin, created by a confirmed transaction: if it is not in the chain's UTXO set, a block spent it.
      if (!parent || parent.confirmations <= 0) continue;
      if ((await this.rpc.getTxOut(txid, vout, false)) === null) return `${txid}:${vout}`;
    }
    return undefined;
  }

  private async versionMined(payout: Payout): Promise<boolean> {
    for (let version: Payout | undefined = payout; version; version = version.replacesId ? await this.store.payout(version.replacesId) : undefined) {
      const tx = await findWalletTransaction(this.rpc, version.txid);
      if (tx && tx.confirmations > 0) return true;
    }
    return false;
  }
}
